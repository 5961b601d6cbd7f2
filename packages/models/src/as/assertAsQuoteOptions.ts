import { InvalidParameterError } from '../errors/parameter.js'
import type { AsQuoteOptions } from './types.js'

/** Validates the crossing options against the mid (both in price units). Cheap: a handful of comparisons. */
export function assertAsQuoteOptions(options: AsQuoteOptions, midPrice: number): void {
  const crossing = options.crossing
  if (
    crossing !== undefined &&
    crossing !== 'report' &&
    crossing !== 'clip' &&
    crossing !== 'drop' &&
    crossing !== 'throw'
  )
    throw new InvalidParameterError({
      field: 'options.crossing',
      value: crossing,
      rule: "one of 'report', 'clip', 'drop', 'throw'",
      next: "pass options.crossing = 'report' | 'clip' | 'drop' | 'throw'.",
    })
  const bestBid = options.bestBidPrice
  if (bestBid !== undefined && !(typeof bestBid === 'number' && bestBid > 0 && bestBid <= midPrice))
    throw new InvalidParameterError({
      field: 'options.bestBidPrice',
      value: bestBid,
      rule: `> 0 and <= midPrice (${midPrice})`,
    })
  const bestAsk = options.bestAskPrice
  if (
    bestAsk !== undefined &&
    !(typeof bestAsk === 'number' && bestAsk >= midPrice && bestAsk < Number.POSITIVE_INFINITY)
  )
    throw new InvalidParameterError({
      field: 'options.bestAskPrice',
      value: bestAsk,
      rule: `finite and >= midPrice (${midPrice})`,
    })
}
