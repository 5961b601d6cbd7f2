import { describe, expect, it } from 'vitest'
import { PostOnlyRejectedError } from '../../errors/order.js'
import {
  InsufficientMarginError,
  InvalidPrecisionError,
  InvalidSignatureError,
  ListenKeyExpiredError,
  OrderNotFoundError,
  RateLimitedError,
  TimestampOutsideRecvWindowError,
  VenueRejectedError,
  VenueUnavailableError,
} from '../../errors/venue.js'
import { mapBinanceError } from './mapBinanceError.js'

const ctx = { venue: 'binance-usdm', endpoint: 'POST /fapi/v1/order', httpStatus: 400, safeToRetry: false }

// Classification table from the protocol reference §1.4/§1.5 (Binance error-code pages).
describe('mapBinanceError', () => {
  it.each([
    [-1021, 400, TimestampOutsideRecvWindowError, true],
    [-1022, 400, InvalidSignatureError, false],
    [-2019, 400, InsufficientMarginError, false],
    [-2011, 400, OrderNotFoundError, false],
    [-2013, 400, OrderNotFoundError, false],
    [-5022, 400, PostOnlyRejectedError, false],
    [-1125, 400, ListenKeyExpiredError, true],
    [-1111, 400, InvalidPrecisionError, false],
    [-4164, 400, InvalidPrecisionError, false],
    [-1003, 429, RateLimitedError, true],
    [-1003, 418, RateLimitedError, true],
    [-1008, 400, RateLimitedError, true],
    [-1006, 400, VenueUnavailableError, false],
    [-1007, 408, VenueUnavailableError, false],
    [-1008, 503, VenueUnavailableError, false], // 5XX = execution status unknown, whatever the code
    [-4131, 400, VenueRejectedError, false],
  ])('code %i / HTTP %i → %o (retryable %s for an order create)', (code, httpStatus, klass, retryable) => {
    const error = mapBinanceError(code, 'msg', { ...ctx, httpStatus, retryAfterMs: 5_000 })
    expect(error).toBeInstanceOf(klass)
    expect(error.retryable).toBe(retryable)
    expect(error.venueCode).toBe(code)
    expect(error.message).not.toMatch(/signature=|apiSecret/)
  })

  it('spot -2010 is a post-only rejection only for "would immediately match and take"', () => {
    expect(mapBinanceError(-2010, 'Order would immediately match and take.', ctx)).toBeInstanceOf(PostOnlyRejectedError)
    expect(mapBinanceError(-2010, 'Account has insufficient balance for requested action.', ctx)).toBeInstanceOf(
      InsufficientMarginError,
    )
    expect(mapBinanceError(-2010, 'Duplicate order sent.', ctx)).toBeInstanceOf(VenueRejectedError)
  })

  it('418 is a ban with Retry-After; unknown outcomes on safe requests are retryable', () => {
    const ban = mapBinanceError(-1003, 'banned', { ...ctx, httpStatus: 418, retryAfterMs: 120_000 }) as RateLimitedError
    expect([ban.banned, ban.retryAfterMs, ban.code]).toEqual([true, 120_000, 'IP_BANNED'])
    expect(mapBinanceError(undefined, 'bad gateway', { ...ctx, httpStatus: 502, safeToRetry: true }).retryable).toBe(
      true,
    )
  })
})
