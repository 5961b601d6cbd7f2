export { applyRangeHalfWidthHint } from './applyRangeHalfWidthHint.js'
export { type CharmRanges, getCharmRanges } from './getCharmRanges.js'
export { getLiquidityForBalances } from './getLiquidityForBalances.js'
export { type PlanRangesErrorType, planRanges } from './planRanges.js'
export { spreadToTicks } from './spreadToTicks.js'
export { modelQuoteFromAs, modelQuoteFromDepths } from './toModelQuote.js'
export type {
  ModelQuote,
  PlannedPosition,
  PlanRangesParameters,
  PoolPriceState,
  RangePlan,
  RangePlannerConfig,
  RangeWidthConfig,
  TokenBalances,
} from './types.js'
