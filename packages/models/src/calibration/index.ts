// Calibration: volatility estimators and the order-arrival intensity fit, batch and streaming. See docs/models.calibration.md.

export {
  DegenerateFitError,
  type DegenerateFitErrorType,
  EstimatorNotReadyError,
  type EstimatorNotReadyErrorType,
  InsufficientDataError,
  type InsufficientDataErrorType,
  InvalidSampleError,
  type InvalidSampleErrorType,
  UnsortedTimestampsError,
  type UnsortedTimestampsErrorType,
} from '../errors/calibration.js'
export {
  type AggregateArrivalsByIntervalParameters,
  aggregateArrivalsByInterval,
} from './aggregateArrivalsByInterval.js'
export {
  type ComputeArrivalDepthsErrorType,
  type ComputeArrivalDepthsParameters,
  type ComputeArrivalDepthsReturnType,
  computeArrivalDepths,
} from './computeArrivalDepths.js'
export {
  type ComputeEwmaVolatilityErrorType,
  type ComputeEwmaVolatilityParameters,
  type ComputeEwmaVolatilityReturnType,
  computeEwmaVolatility,
} from './computeEwmaVolatility.js'
export {
  type ComputeRealizedVolatilityErrorType,
  type ComputeRealizedVolatilityParameters,
  type ComputeRealizedVolatilityReturnType,
  computeRealizedVolatility,
} from './computeRealizedVolatility.js'
export {
  type CreateEwmaVolatilityEstimatorErrorType,
  type CreateEwmaVolatilityEstimatorParameters,
  createEwmaVolatilityEstimator,
} from './createEwmaVolatilityEstimator.js'
export {
  type CreateRealizedVolatilityEstimatorErrorType,
  type CreateRealizedVolatilityEstimatorParameters,
  createRealizedVolatilityEstimator,
} from './createRealizedVolatilityEstimator.js'
export {
  type CreateTradingIntensityEstimatorErrorType,
  type CreateTradingIntensityEstimatorParameters,
  createTradingIntensityEstimator,
  type TradingIntensityEstimator,
} from './createTradingIntensityEstimator.js'
export {
  type FitLeastSquaresLineErrorType,
  type FitLeastSquaresLineParameters,
  type FitLeastSquaresLineReturnType,
  fitLeastSquaresLine,
} from './fitLeastSquaresLine.js'
export {
  type FitTradingIntensityErrorType,
  type FitTradingIntensityParameters,
  type FitTradingIntensityReturnType,
  fitTradingIntensity,
} from './fitTradingIntensity.js'
export { DEPTH_TOLERANCE_TICKS } from './tradingIntensityFromCounts.js'
export type {
  AggressorSide,
  ArrivalSample,
  PriceSample,
  TradeSample,
  TradingIntensityEstimatorState,
  TradingIntensityFit,
  TradingIntensityPoint,
  TradingIntensityTradeResult,
  VolatilityEstimate,
  VolatilityEstimator,
  VolatilityEstimatorState,
  VolatilityReturns,
} from './types.js'
