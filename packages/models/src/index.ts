// @alp/models: named, tree-shakable exports only. Each module is one concern; see README.md for the map.

export * from './as/index.js'
export * from './calibration/index.js'
export { ModelsError, type ModelsErrorParameters, type ModelsErrorType } from './errors/base.js'
export {
  InvalidParameterError,
  type InvalidParameterErrorType,
  QuoteCrossesMidError,
  type QuoteCrossesMidErrorType,
  QuoteNonPositivePriceError,
  type QuoteNonPositivePriceErrorType,
} from './errors/parameter.js'
export * from './glft/index.js'
export * from './inventory/index.js'
export * from './quote/index.js'
export * from './simulation/index.js'
