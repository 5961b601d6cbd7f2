import { positionBounds } from './positionBounds.js'
import type { HedgerState, NetExposure } from './types.js'

/**
 * Net exposure = (LP base holdings − LP target) + Σ CEX positions (best estimates, see positionBounds) −
 * hedge.targetNetBase, in base units, and its USD
 * value at the pool price (else the first venue with a BBO). Floats: this is a model input, never a wire amount.
 */
export function computeNetExposure(state: HedgerState): NetExposure {
  let cexPositionBase = 0
  // Best estimates: fills our order updates report count before their fill events arrive.
  for (const venue of state.venues) cexPositionBase += positionBounds(venue).lots * venue.config.stepSizeBase
  const netBase = state.lpDeviationBase + cexPositionBase - state.config.hedge.targetNetBase
  const price = referencePrice(state)
  return {
    lpDeviationBase: state.lpDeviationBase,
    cexPositionBase,
    netBase,
    netUsd: price === null ? null : netBase * price,
  }
}

/** Pool price, else the mid of the first venue with a BBO, else null (quote units per base). */
export function referencePrice(state: HedgerState): number | null {
  if (state.poolPrice !== null) return state.poolPrice
  for (const venue of state.venues)
    if (venue.bbo) return ((venue.bbo.bidPriceTicks + venue.bbo.askPriceTicks) / 2) * venue.config.tickSizePrice
  return null
}
