import type { ConnectorError } from '../../errors/base.js'
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

export type BinanceErrorContext = {
  venue: string
  endpoint: string
  httpStatus: number
  /** Whether repeating the request is safe (reads, cancels), for unknown-status codes. */
  safeToRetry: boolean
  retryAfterMs?: number | undefined
  /** For post-only rejections: the order's client id and price. */
  order?: { clientOrderId: string; price: string } | undefined
}

/**
 * Maps a Binance error answer (`{"code":…,"msg":…}` and/or HTTP status) to a typed error. Classification:
 * retryable = repeating the same request unchanged may succeed and is safe.
 */
export function mapBinanceError(
  code: number | undefined,
  message: string,
  context: BinanceErrorContext,
): ConnectorError {
  const args = {
    venue: context.venue,
    venueCode: code,
    venueMessage: message,
    endpoint: context.endpoint,
    httpStatus: context.httpStatus,
  }
  // HTTP 5XX = execution status UNKNOWN whatever the body code (even -1008): the request may have been executed.
  if (context.httpStatus >= 500) return new VenueUnavailableError({ ...args, retryable: context.safeToRetry })
  if (context.httpStatus === 418 || context.httpStatus === 429 || code === -1003 || code === -1015 || code === -1008)
    return new RateLimitedError({
      ...args,
      retryAfterMs: context.retryAfterMs ?? (code === -1008 ? 1_000 : 60_000),
      banned: context.httpStatus === 418,
    })
  switch (code) {
    case -1021:
      return new TimestampOutsideRecvWindowError(args)
    case -1022:
      return new InvalidSignatureError(args)
    case -1125:
      return new ListenKeyExpiredError(args)
    case -2019:
      return new InsufficientMarginError(args)
    case -2011:
    case -2013:
      return new OrderNotFoundError(args)
    case -1111:
    case -4014:
    case -4023:
    case -4164:
    case -1013:
      return new InvalidPrecisionError(args)
    case -5022:
      return new PostOnlyRejectedError({
        venue: context.venue,
        venueCode: code,
        clientOrderId: context.order?.clientOrderId ?? '?',
        price: context.order?.price ?? '?',
      })
    case -2010:
      if (/immediately match and take/i.test(message))
        return new PostOnlyRejectedError({
          venue: context.venue,
          venueCode: code,
          clientOrderId: context.order?.clientOrderId ?? '?',
          price: context.order?.price ?? '?',
        })
      if (/insufficient balance/i.test(message)) return new InsufficientMarginError(args)
      return new VenueRejectedError(args)
    case -1006:
    case -1007:
      return new VenueUnavailableError({ ...args, retryable: context.safeToRetry })
  }
  if (context.httpStatus >= 500) return new VenueUnavailableError({ ...args, retryable: context.safeToRetry })
  return new VenueRejectedError(args)
}
