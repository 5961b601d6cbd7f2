export { type EstimateBarFeesParameters, estimateBarFees } from './estimateBarFees.js'
export { findTickSegment } from './findTickSegment.js'
export { clearUnusedTick, patchRangeLiquidity, patchTick } from './patchRangeLiquidity.js'
export { HISTORICAL_OWNER, PoolReplay, type PoolReplayParameters, type PoolReplayStats } from './poolReplay.js'
