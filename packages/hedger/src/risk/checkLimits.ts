import type { HedgerState } from '../core/types.js'
import type { HaltReason } from '../messages/commands.js'

/** Absorbs float noise of lots × step. */
const BASE_EPSILON = 1e-9

/**
 * Position and notional limits, per venue and in total, on the positions the venues reported (or our fills).
 * Returns the first breached limit, or null. A breach latches the global kill switch.
 */
export function checkLimits(state: HedgerState): HaltReason | null {
  const risk = state.config.risk
  let totalBase = 0
  let totalNotionalUsd = 0
  for (const venue of state.venues) {
    const config = venue.config
    const positionBase = venue.positionLots * config.stepSizeBase
    totalBase += positionBase
    if (Math.abs(positionBase) > config.maxPositionBase + BASE_EPSILON) return 'positionLimit'
    if (venue.bbo !== null) {
      const mid = ((venue.bbo.bidPriceTicks + venue.bbo.askPriceTicks) / 2) * config.tickSizePrice
      const notionalUsd = Math.abs(positionBase) * mid
      totalNotionalUsd += notionalUsd
      if (notionalUsd > config.maxNotionalUsd) return 'notionalLimit'
    }
  }
  if (Math.abs(totalBase) > risk.maxTotalPositionBase + BASE_EPSILON) return 'totalPositionLimit'
  if (totalNotionalUsd > risk.maxTotalNotionalUsd) return 'totalNotionalLimit'
  return null
}
