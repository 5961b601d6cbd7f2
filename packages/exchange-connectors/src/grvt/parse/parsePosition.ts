import type { Position } from '../../common/types/account.js'
import {
  readGrvtDecimal,
  readGrvtNanosToMs,
  readGrvtObject,
  readGrvtSignedDecimal,
  readGrvtString,
} from './readGrvtField.js'

/** A GRVT position (`positions` result item or `v1.position` feed) → `Position`; `size` is signed (short < 0). */
export function parseGrvtPosition(data: unknown): Position {
  const p = readGrvtObject(data, 'position')
  return {
    venue: 'grvt',
    symbol: readGrvtString(p.instrument, 'position.instrument'),
    sizeBase: readGrvtSignedDecimal(p.size, 'position.size'),
    entryPrice: readGrvtDecimal(p.entry_price, 'position.entry_price'),
    unrealizedPnlQuote: readGrvtSignedDecimal(p.unrealized_pnl, 'position.unrealized_pnl'),
    tsExchangeMs: readGrvtNanosToMs(p.event_time, 'position.event_time'),
    raw: data,
  }
}
