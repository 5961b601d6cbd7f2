export * from './binance/index.js'
export * from './chain/index.js'
export * from './clock/index.js'
export * from './deribit/index.js'
export { VenueSimError, type VenueSimErrorParameters, type VenueSimErrorType } from './errors/base.js'
// The error root and the emulator errors the docs name (catch them by class).
export {
  BinanceRejectionError,
  type BinanceRejectionErrorType,
  InvalidEmulatorConfigError,
  type InvalidEmulatorConfigErrorType,
  ReplayFormatError,
  type ReplayFormatErrorType,
} from './errors/binance.js'
export * from './grvt/index.js'
export * from './matching/index.js'

// One name, one object across the ALP packages (issue #12): @alp/exchange-connectors exports its own RateLimiter,
// signPayload and formatScaled (the client side), so the emulator's are renamed; the old names stay as deprecated
// aliases until the next major. The subpaths (@alp/venue-sim/binance, /matching) keep their names.
import { RateLimiter as SimRateLimiterClass, signPayload as signSimPayloadFunction } from './binance/index.js'
import { formatScaled as formatSimScaledFunction } from './matching/index.js'

export { RateLimiter as SimRateLimiter, signPayload as signSimPayload } from './binance/index.js'
export { formatScaled as formatSimScaled } from './matching/index.js'
/**
 * @deprecated Use `SimRateLimiter` (the same class): `@alp/exchange-connectors` exports a different `RateLimiter`.
 * This alias goes in the next major.
 */
export const RateLimiter = SimRateLimiterClass
/** @deprecated Use `SimRateLimiter` (the same class). */
export type RateLimiter = SimRateLimiterClass
/**
 * @deprecated Use `signSimPayload` (the same function): `@alp/exchange-connectors` exports a different `signPayload`.
 * This alias goes in the next major.
 */
export const signPayload = signSimPayloadFunction
/**
 * @deprecated Use `formatSimScaled` (the same function): `@alp/exchange-connectors` exports a different `formatScaled`.
 * This alias goes in the next major.
 */
export const formatScaled = formatSimScaledFunction
