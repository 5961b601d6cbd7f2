import type { Bbo } from '../../common/types/marketData.js'
import { asObject, readDecimal, readInteger, readString } from '../schemas/fields.js'

/** `<symbol>@bookTicker` → `Bbo` (futures and spot payloads; spot has no event time, so `tsExchangeMs` is 0). */
export function parseBookTicker(data: unknown, venue: string, tsLocalNs = 0n): Bbo {
  const o = asObject(data, 'data', venue)
  return {
    venue,
    symbol: readString(o, 's', venue),
    bidPrice: readDecimal(o, 'b', venue),
    bidSizeBase: readDecimal(o, 'B', venue),
    askPrice: readDecimal(o, 'a', venue),
    askSizeBase: readDecimal(o, 'A', venue),
    updateId: readInteger(o, 'u', venue),
    tsExchangeMs: o.T === undefined ? 0 : readInteger(o, 'T', venue),
    tsLocalNs,
    raw: data,
  }
}
