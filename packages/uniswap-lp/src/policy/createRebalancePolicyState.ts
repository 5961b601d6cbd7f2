import type { RebalancePolicyState } from './types.js'

/** The initial policy state: never rebalanced, inventory trigger armed. */
export function createRebalancePolicyState(): RebalancePolicyState {
  return { lastRebalanceTsMs: null, inventoryArmed: true }
}
