// @alp/uniswap-lp: named, tree-shakable exports only. See README.md for the module map.

export * from './chain/index.js'
export * from './config/index.js'
export * from './errors/index.js'
export * from './feeTier/index.js'
export * from './inventory/index.js'
export * from './manager/index.js'
export * from './math/index.js'
export * from './planner/index.js'
export * from './policy/index.js'
export * from './rebalance/index.js'
export * from './valuation/index.js'

// One name, one object across the ALP packages (issue #12): @alp/models exports its own InvalidParameterError (a
// ModelsError), so this package's is renamed; the old name stays as a deprecated alias until the next major.
import { InvalidParameterError as InvalidLpParameterErrorClass } from './errors/parameter.js'

export {
  InvalidParameterError as InvalidLpParameterError,
  type InvalidParameterErrorType as InvalidLpParameterErrorType,
} from './errors/parameter.js'
/**
 * @deprecated Use `InvalidLpParameterError` (the same class): `@alp/models` exports a different `InvalidParameterError`.
 * This alias goes in the next major.
 */
export const InvalidParameterError = InvalidLpParameterErrorClass
/** @deprecated Use `InvalidLpParameterError` (the same class). */
export type InvalidParameterError = InvalidLpParameterErrorClass
