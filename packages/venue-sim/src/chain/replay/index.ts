export {
  type DetectStaleLiquidityRowsErrorType,
  detectStaleLiquidityRows,
  type StaleLiquidityRow,
} from './detectStaleLiquidityRows.js'
export {
  ChainReplayError,
  type ChainReplayErrorType,
  PoolEventsFormatError,
  type PoolEventsFormatErrorType,
} from './errors.js'
export {
  type BackgroundBucket,
  type BackgroundLiquidityPlan,
  type BackgroundPosition,
  type PlanBackgroundLiquidityErrorType,
  type PlanBackgroundLiquidityParameters,
  planBackgroundLiquidity,
} from './planBackgroundLiquidity.js'
export {
  type ParsePoolEventsErrorType,
  type ParsePoolEventsParameters,
  type PoolEvent,
  type PoolEventKind,
  parsePoolEvents,
  readPoolEvents,
} from './readPoolEvents.js'
export { loadReplayLiquidityArtifact } from './replayLiquidityArtifact.js'
export {
  type AmountDifference,
  type PoolDayReplay,
  type ReplayClockLike,
  type ReplayEventProgress,
  type ReplayEventStatus,
  type ReplayedSwap,
  type ReplayPoolDayErrorType,
  type ReplayPoolDayParameters,
  type ReplayPoolDayReport,
  type ReplayPoolDaySetup,
  replayPoolDay,
} from './replayPoolDay.js'
