export { BacktestError, type BacktestErrorParameters, type BacktestErrorType } from './base.js'
export { PoolRevertError, type PoolRevertErrorType } from './pool.js'
