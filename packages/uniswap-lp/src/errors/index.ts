export { UniswapLpError, type UniswapLpErrorParameters, type UniswapLpErrorType } from './base.js'
export { UnknownFeeTierError, type UnknownFeeTierErrorType } from './feeTier.js'
export {
  InvalidAmountError,
  type InvalidAmountErrorType,
  ZeroLiquidityError,
  type ZeroLiquidityErrorType,
} from './liquidity.js'
export { MathOverflowError, type MathOverflowErrorType } from './math.js'
export { InvalidParameterError, type InvalidParameterErrorType } from './parameter.js'
export {
  GasExceedsGainError,
  type GasExceedsGainErrorType,
  MaxFeeExceededError,
  type MaxFeeExceededErrorType,
  NonceConflictError,
  type NonceConflictErrorType,
  RebalancePlanStateError,
  type RebalancePlanStateErrorType,
  RebalancePlanStoreError,
  type RebalancePlanStoreErrorType,
  StaleChainTipError,
  type StaleChainTipErrorType,
} from './rebalance.js'
export {
  SqrtPriceOutOfRangeError,
  type SqrtPriceOutOfRangeErrorType,
  TickNotAlignedError,
  type TickNotAlignedErrorType,
  TickOrderError,
  type TickOrderErrorType,
  TickOutOfRangeError,
  type TickOutOfRangeErrorType,
} from './tick.js'
export {
  InvalidDecimalsError,
  type InvalidDecimalsErrorType,
  InvalidPriceError,
  type InvalidPriceErrorType,
} from './token.js'
