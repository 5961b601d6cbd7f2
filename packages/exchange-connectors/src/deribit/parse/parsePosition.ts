import type { Position } from '../../common/types/account.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { numberToDecimalString } from './numberToDecimalString.js'

/** One element of private/get_positions → `Position` (`size` is signed, in the instrument's amount unit). */
export function parseDeribitPosition(data: unknown, tsMs: number): Position {
  if (data === null || typeof data !== 'object')
    throw new MalformedFrameError({ venue: 'deribit', field: 'position', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  if (typeof o.instrument_name !== 'string')
    throw new MalformedFrameError({ venue: 'deribit', field: 'instrument_name', reason: 'is not a string' })
  for (const key of ['size', 'average_price', 'floating_profit_loss'])
    if (typeof o[key] !== 'number')
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a number' })
  return {
    venue: 'deribit',
    symbol: o.instrument_name,
    sizeBase: numberToDecimalString(o.size as number, 'size'),
    entryPrice: numberToDecimalString(o.average_price as number, 'average_price'),
    unrealizedPnlQuote: numberToDecimalString(o.floating_profit_loss as number, 'floating_profit_loss'),
    tsExchangeMs: tsMs,
    raw: data,
  }
}
