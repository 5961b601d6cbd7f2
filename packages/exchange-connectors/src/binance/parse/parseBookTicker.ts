import type { Bbo } from '../../common/types/marketData.js'
import { asObject, readInteger, readString, readUnsignedDecimal } from '../schemas/fields.js'

/** `<symbol>@bookTicker` → `Bbo` (futures and spot payloads; spot has no event time, so `tsExchangeMs` is 0). */
export function parseBookTicker(data: unknown, venue: string, tsLocalNs = 0n): Bbo {
  const o = asObject(data, 'data', venue)
  return {
    venue,
    symbol: readString(o, 's', venue),
    bidPrice: readUnsignedDecimal(o, 'b', venue),
    bidSizeBase: readUnsignedDecimal(o, 'B', venue),
    askPrice: readUnsignedDecimal(o, 'a', venue),
    askSizeBase: readUnsignedDecimal(o, 'A', venue),
    updateId: readInteger(o, 'u', venue),
    tsExchangeMs: o.T === undefined ? 0 : readInteger(o, 'T', venue),
    tsLocalNs,
    raw: data,
  }
}
