// @alp/backtest: named, tree-shakable exports only. See README.md for the module map.
export * from './config/index.js'
export * from './data/index.js'
export * from './engine/index.js'
export * from './errors/index.js'
export * from './fills/index.js'
export * from './latency/index.js'
export * from './pool/index.js'
export * from './replay/index.js'
export * from './report/index.js'
export * from './strategy/index.js'
export * from './sweep/index.js'

// One name, one object across the ALP packages (issue #12): @alp/hedger exports its own InvalidConfigError (a
// HedgerError), so this package's is renamed; the old name stays as a deprecated alias until the next major.
import { InvalidConfigError as InvalidBacktestConfigErrorClass } from './errors/config.js'

export {
  InvalidConfigError as InvalidBacktestConfigError,
  type InvalidConfigErrorType as InvalidBacktestConfigErrorType,
} from './errors/config.js'
/**
 * @deprecated Use `InvalidBacktestConfigError` (the same class): `@alp/hedger` exports a different `InvalidConfigError`.
 * This alias goes in the next major.
 */
export const InvalidConfigError = InvalidBacktestConfigErrorClass
/** @deprecated Use `InvalidBacktestConfigError` (the same class). */
export type InvalidConfigError = InvalidBacktestConfigErrorClass
