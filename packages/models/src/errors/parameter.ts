import { ModelsError } from './base.js'

export type InvalidParameterErrorType = InvalidParameterError & { name: 'InvalidParameterError' }

/** A model input is out of its domain (NaN, infinite, negative where it must be positive, …). */
export class InvalidParameterError extends ModelsError {
  override name = 'InvalidParameterError' as const
  /** Name of the offending parameter, e.g. `gamma` or `params.kPerPrice`. */
  readonly field: string
  /** The offending value, as received. */
  readonly value: unknown
  /** The rule it broke, e.g. `> 0`. */
  readonly rule: string

  constructor({ field, value, rule, next }: { field: string; value: unknown; rule: string; next?: string }) {
    super(`Invalid ${field}: ${formatValue(value)} (must be ${rule}).`, {
      code: 'INVALID_PARAMETER',
      metaMessages: [`Next: ${next ?? `pass a finite ${field} that is ${rule}.`}`],
    })
    this.field = field
    this.value = value
    this.rule = rule
  }
}

export type QuoteCrossesMidErrorType = QuoteCrossesMidError & { name: 'QuoteCrossesMidError' }

/** A quote lies on the wrong side of the mid/reference price and the caller's policy is `'throw'`. */
export class QuoteCrossesMidError extends ModelsError {
  override name = 'QuoteCrossesMidError' as const
  readonly side: 'bid' | 'ask'
  readonly depth: number

  constructor({ side, depth }: { side: 'bid' | 'ask'; depth: number }) {
    super(`The ${side} quote crosses the mid price (depth ${depth} < 0).`, {
      code: 'QUOTE_CROSSES_MID',
      metaMessages: [
        "Next: choose a crossing policy ('clip' to the mid or BBO, or 'drop' the side) or reduce gamma·q.",
      ],
    })
    this.side = side
    this.depth = depth
  }
}

export type QuoteNonPositivePriceErrorType = QuoteNonPositivePriceError & { name: 'QuoteNonPositivePriceError' }

/** A quote's price is ≤ 0 (its depth exceeds the mid) and the caller's policy is `'throw'`. */
export class QuoteNonPositivePriceError extends ModelsError {
  override name = 'QuoteNonPositivePriceError' as const
  readonly side: 'bid' | 'ask'
  readonly price: number

  constructor({ side, price }: { side: 'bid' | 'ask'; price: number }) {
    super(`The ${side} price is not positive (${price} <= 0).`, {
      code: 'QUOTE_NON_POSITIVE_PRICE',
      metaMessages: [
        "Next: choose a policy that unquotes the side ('clip' or 'drop'), or check the units of the depth against the mid.",
      ],
    })
    this.side = side
    this.price = price
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value)
  if (typeof value === 'bigint') return `${value}n`
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
