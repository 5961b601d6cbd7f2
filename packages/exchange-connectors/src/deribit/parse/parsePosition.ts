import type { Position } from '../../common/types/account.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { isInverseInstrumentName } from './isInverseInstrumentName.js'
import { numberToDecimalString } from './numberToDecimalString.js'

/**
 * A Deribit position. On inverse instruments `sizeQuote` is Deribit's signed USD `size` (undefined otherwise) and
 * `unrealizedPnlQuote` is in the coin, as Deribit reports `floating_profit_loss`; `pnlAsset` names that asset.
 */
export type DeribitPosition = Position & {
  readonly sizeQuote: string | undefined
  /** Asset of `unrealizedPnlQuote`: the coin for inverse instruments (`BTC`), the quote for linear ones (`USDC`). */
  readonly pnlAsset: string
}

/**
 * One element of private/get_positions → `DeribitPosition`. Linear: `sizeBase` = `size` (coin). Inverse: `sizeBase` =
 * `size_currency` (the venue's own coin value of the USD size at the mark price), `sizeQuote` = `size` (USD).
 */
export function parseDeribitPosition(data: unknown, tsMs: number): DeribitPosition {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new MalformedFrameError({ venue: 'deribit', field: 'position', reason: 'is not an object' })
  const o = data as Record<string, unknown>
  if (typeof o.instrument_name !== 'string')
    throw new MalformedFrameError({ venue: 'deribit', field: 'instrument_name', reason: 'is not a string' })
  const inverse = isInverseInstrumentName(o.instrument_name)
  const keys = inverse
    ? ['size', 'size_currency', 'average_price', 'floating_profit_loss']
    : ['size', 'average_price', 'floating_profit_loss']
  for (const key of keys)
    if (typeof o[key] !== 'number' || !Number.isFinite(o[key]))
      throw new MalformedFrameError({ venue: 'deribit', field: key, reason: 'is not a finite number' })
  const size = numberToDecimalString(o.size as number, 'size')
  const head = o.instrument_name.split('-')[0] ?? ''
  return {
    venue: 'deribit',
    symbol: o.instrument_name,
    sizeBase: inverse ? numberToDecimalString(o.size_currency as number, 'size_currency') : size,
    entryPrice: numberToDecimalString(o.average_price as number, 'average_price'),
    unrealizedPnlQuote: numberToDecimalString(o.floating_profit_loss as number, 'floating_profit_loss'),
    tsExchangeMs: tsMs,
    raw: data,
    sizeQuote: inverse ? size : undefined,
    pnlAsset: inverse ? head : (head.split('_')[1] ?? head),
  }
}
