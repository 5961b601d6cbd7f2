export { type EstimateBarFeesParameters, estimateBarFees } from './estimateBarFees.js'
export { findTickSegment } from './findTickSegment.js'
export { patchRangeLiquidity, patchTick } from './patchRangeLiquidity.js'
export { HISTORICAL_OWNER, PoolReplay, type PoolReplayParameters, type PoolReplayStats } from './poolReplay.js'
