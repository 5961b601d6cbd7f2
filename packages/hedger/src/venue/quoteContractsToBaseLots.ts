import type { DecimalStep } from './decimalTicks.js'
import { divideRoundHalfAway } from './divideRoundHalfAway.js'

export type QuoteContractsToBaseLotsParameters = {
  /** Size of the level in contracts (the connector's integer book lots on an inverse instrument). */
  readonly contracts: number
  /** Price of the level, ticks of `tick`. */
  readonly priceTicks: number
  /** Quote units (USD) per contract. */
  readonly contractSizeQuote: DecimalStep
  readonly tick: DecimalStep
  /** The hedger's size lot, base units. */
  readonly step: DecimalStep
}

/**
 * Base lots of an inverse book level: `contracts · contractSize / price` in lots of `step`, rounded to the nearest lot
 * (a tie away from zero), so at most half a lot off (`805` contracts of 1 USD at 2684.95 → 0.2998… ETH → 300 lots of
 * 0.001). Exact on scaled integers.
 * @returns the lots, or `null` when the price is not > 0 or the result is not a safe integer.
 */
export function quoteContractsToBaseLots(parameters: QuoteContractsToBaseLotsParameters): number | null {
  const { contracts, priceTicks, contractSizeQuote: c, tick, step } = parameters
  if (!(Number.isSafeInteger(priceTicks) && priceTicks > 0) || !Number.isSafeInteger(contracts)) return null
  // (n · cm·10^-cs) / (p · tm·10^-ts · sm·10^-ss) = n·cm·10^(ts+ss) / (p·tm·sm·10^cs)
  const lots = divideRoundHalfAway(
    BigInt(contracts) * c.mantissa * 10n ** BigInt(tick.scale + step.scale),
    BigInt(priceTicks) * tick.mantissa * step.mantissa * 10n ** BigInt(c.scale),
  )
  if (lots > BigInt(Number.MAX_SAFE_INTEGER) || lots < -BigInt(Number.MAX_SAFE_INTEGER)) return null
  return Number(lots)
}
