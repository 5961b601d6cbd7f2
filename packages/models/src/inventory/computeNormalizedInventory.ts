import { InvalidParameterError } from '../errors/parameter.js'

export type ComputeNormalizedInventoryParameters = {
  /** Base-asset balance, base units (e.g. ETH). ≥ 0 and finite. */
  baseBalanceBase: number
  /** Quote-asset balance, quote units (e.g. USDC). ≥ 0 and finite. */
  quoteBalanceQuote: number
  /** Mid price, quote units per base unit. > 0 and finite. */
  midPrice: number
  /** Target share of the portfolio value held in base, in percent [0, 100] (Hummingbot's default is 50). */
  targetBasePct: number
}

export type NormalizedInventory = {
  /** q = (base − target) / inventory_in_base: dimensionless, in [−pct/100, 1 − pct/100]. */
  q: number
  /** Portfolio value expressed in base units: quoteBalanceQuote / midPrice + baseBalanceBase. */
  inventoryInBase: number
  /** Target base holding, base units: inventoryInBase · targetBasePct / 100. */
  targetBase: number
}

/** What computeNormalizedInventory can throw. */
export type ComputeNormalizedInventoryErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * Hummingbot's normalised inventory (avellaneda_market_making, `c_calculate_reservation_price_and_optimal_spread`):
 * q = (base − target) / inventory_in_base, with inventory_in_base = quote / price + base and
 * target = inventory_in_base · pct / 100. q lies in [−pct/100, 1 − pct/100] (so [−½, ½] at the 50 % default).
 * Unlike Hummingbot we do not quantise the target to the venue's lot here: that is a venue concern.
 *
 * @throws InvalidParameterError naming the bad field and value, or `inventoryInBase` when the portfolio is empty.
 */
export function computeNormalizedInventory(parameters: ComputeNormalizedInventoryParameters): NormalizedInventory {
  const { baseBalanceBase, quoteBalanceQuote, midPrice, targetBasePct } = parameters
  if (!(typeof baseBalanceBase === 'number' && baseBalanceBase >= 0 && baseBalanceBase < Number.POSITIVE_INFINITY))
    throw new InvalidParameterError({ field: 'baseBalanceBase', value: baseBalanceBase, rule: '>= 0' })
  if (
    !(typeof quoteBalanceQuote === 'number' && quoteBalanceQuote >= 0 && quoteBalanceQuote < Number.POSITIVE_INFINITY)
  )
    throw new InvalidParameterError({ field: 'quoteBalanceQuote', value: quoteBalanceQuote, rule: '>= 0' })
  if (!(typeof midPrice === 'number' && midPrice > 0 && midPrice < Number.POSITIVE_INFINITY))
    throw new InvalidParameterError({ field: 'midPrice', value: midPrice, rule: '> 0' })
  if (!(typeof targetBasePct === 'number' && targetBasePct >= 0 && targetBasePct <= 100))
    throw new InvalidParameterError({ field: 'targetBasePct', value: targetBasePct, rule: 'in [0, 100]' })
  const inventoryInBase = quoteBalanceQuote / midPrice + baseBalanceBase
  if (!(inventoryInBase > 0))
    throw new InvalidParameterError({
      field: 'inventoryInBase',
      value: inventoryInBase,
      rule: '> 0 (the portfolio must hold something)',
      next: 'fund the account; q is undefined for an empty portfolio.',
    })
  const targetBase = (inventoryInBase * targetBasePct) / 100
  return { q: (baseBalanceBase - targetBase) / inventoryInBase, inventoryInBase, targetBase }
}
