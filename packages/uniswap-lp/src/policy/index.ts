export { createRebalancePolicyState } from './createRebalancePolicyState.js'
export { type DecideRebalanceErrorType, decideRebalance } from './decideRebalance.js'
export type {
  DecideRebalanceParameters,
  RebalanceDecision,
  RebalancePolicyConfig,
  RebalancePolicyState,
  RebalanceReason,
} from './types.js'
