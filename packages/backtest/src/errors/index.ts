export { BacktestError, type BacktestErrorParameters, type BacktestErrorType } from './base.js'
export {
  InvalidConfigError,
  type InvalidConfigErrorType,
  MissingModelError,
  type MissingModelErrorType,
} from './config.js'
export {
  CsvColumnMissingError,
  type CsvColumnMissingErrorType,
  EventsOutOfOrderError,
  type EventsOutOfOrderErrorType,
  InvalidFieldError,
  type InvalidFieldErrorType,
} from './input.js'
export { PoolRevertError, type PoolRevertErrorType } from './pool.js'
