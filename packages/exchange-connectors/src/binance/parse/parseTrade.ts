import type { Trade } from '../../common/types/marketData.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { asObject, readBoolean, readInteger, readString, readUnsignedDecimal } from '../schemas/fields.js'

/**
 * `<symbol>@aggTrade` (id field `a`) or `<symbol>@trade` (id field `t`) → `Trade`. `m` (buyer is maker) true means the
 * aggressor sold.
 */
export function parseTrade(data: unknown, venue: string, tsLocalNs = 0n): Trade {
  const o = asObject(data, 'data', venue)
  const idField = o.e === 'aggTrade' ? 'a' : o.e === 'trade' ? 't' : undefined
  if (!idField) throw new MalformedFrameError({ venue, field: 'e', reason: 'is neither "aggTrade" nor "trade"' })
  return {
    venue,
    symbol: readString(o, 's', venue),
    tradeId: String(readInteger(o, idField, venue)),
    price: readUnsignedDecimal(o, 'p', venue),
    sizeBase: readUnsignedDecimal(o, 'q', venue),
    side: readBoolean(o, 'm', venue) ? 'sell' : 'buy',
    tsExchangeMs: readInteger(o, 'T', venue),
    tsLocalNs,
    raw: data,
  }
}
