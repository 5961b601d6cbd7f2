import { ConnectorError } from './base.js'

type VenueErrorArgs = {
  venue: string
  venueCode?: number | string | undefined
  venueMessage: string
  endpoint: string
  httpStatus?: number | undefined
}

function venueLines(args: VenueErrorArgs, next: string): string[] {
  return [
    `Endpoint: ${args.endpoint}${args.httpStatus === undefined ? '' : ` (HTTP ${args.httpStatus})`}`,
    `Venue says: ${args.venueMessage}`,
    `Next: ${next}`,
  ]
}

export type VenueRejectedErrorType = VenueRejectedError & { name: 'VenueRejectedError' }

/** The venue answered with an error code this package has no dedicated class for. Not retryable. */
export class VenueRejectedError extends ConnectorError {
  override name = 'VenueRejectedError' as const
  readonly httpStatus: number | undefined
  constructor(args: VenueErrorArgs) {
    super(`${args.venue} rejected ${args.endpoint} with code ${String(args.venueCode)}.`, {
      code: 'VENUE_REJECTED',
      venue: args.venue,
      venueCode: args.venueCode,
      retryable: false,
      metaMessages: venueLines(args, 'fix the request; sending it unchanged will fail again.'),
    })
    this.httpStatus = args.httpStatus
  }
}

export type TimestampOutsideRecvWindowErrorType = TimestampOutsideRecvWindowError & {
  name: 'TimestampOutsideRecvWindowError'
}

/** Binance `-1021`: the request timestamp is outside recvWindow or ahead of server time. Not processed: retry after resync. */
export class TimestampOutsideRecvWindowError extends ConnectorError {
  override name = 'TimestampOutsideRecvWindowError' as const
  constructor(args: VenueErrorArgs) {
    super(`${args.venue} rejected the request timestamp on ${args.endpoint}.`, {
      code: 'TIMESTAMP_OUTSIDE_RECV_WINDOW',
      venue: args.venue,
      venueCode: args.venueCode,
      retryable: true,
      metaMessages: venueLines(
        args,
        're-sync the server-time offset, then resend; the order was NOT placed and must not be treated as absent.',
      ),
    })
  }
}

export type InvalidSignatureErrorType = InvalidSignatureError & { name: 'InvalidSignatureError' }

/** Binance `-1022`: signature invalid (wrong secret or payload mangled). */
export class InvalidSignatureError extends ConnectorError {
  override name = 'InvalidSignatureError' as const
  constructor(args: VenueErrorArgs) {
    super(`${args.venue} rejected the signature on ${args.endpoint}.`, {
      code: 'INVALID_SIGNATURE',
      venue: args.venue,
      venueCode: args.venueCode,
      retryable: false,
      metaMessages: venueLines(args, 'check the API secret and that the signed payload equals the sent query + body.'),
    })
  }
}

export type InsufficientMarginErrorType = InsufficientMarginError & { name: 'InsufficientMarginError' }

/** Binance `-2019` (futures) / `-2010` insufficient balance (spot): not enough available balance. */
export class InsufficientMarginError extends ConnectorError {
  override name = 'InsufficientMarginError' as const
  constructor(args: VenueErrorArgs) {
    super(`${args.venue}: margin is insufficient for ${args.endpoint}.`, {
      code: 'INSUFFICIENT_MARGIN',
      venue: args.venue,
      venueCode: args.venueCode,
      retryable: false,
      metaMessages: venueLines(
        args,
        'size orders from the AVAILABLE balance (not the cross wallet) and retry smaller.',
      ),
    })
  }
}

export type OrderNotFoundErrorType = OrderNotFoundError & { name: 'OrderNotFoundError' }

/** Binance `-2011` (cancel rejected, unknown order) and `-2013` (order does not exist). */
export class OrderNotFoundError extends ConnectorError {
  override name = 'OrderNotFoundError' as const
  constructor(args: VenueErrorArgs) {
    super(`${args.venue}: order not found on ${args.endpoint}.`, {
      code: 'ORDER_NOT_FOUND',
      venue: args.venue,
      venueCode: args.venueCode,
      retryable: false,
      metaMessages: venueLines(
        args,
        'the order is already final (filled/cancelled) or was never accepted; confirm via the user stream.',
      ),
    })
  }
}

export type ListenKeyExpiredErrorType = ListenKeyExpiredError & { name: 'ListenKeyExpiredError' }

/** Binance `-1125`: the listenKey does not exist (expired or deleted). */
export class ListenKeyExpiredError extends ConnectorError {
  override name = 'ListenKeyExpiredError' as const
  constructor(args: VenueErrorArgs) {
    super(`${args.venue}: listenKey does not exist (${args.endpoint}).`, {
      code: 'LISTEN_KEY_EXPIRED',
      venue: args.venue,
      venueCode: args.venueCode,
      retryable: true,
      metaMessages: venueLines(
        args,
        'create a new listenKey (POST), reconnect the user stream and reconcile via REST.',
      ),
    })
  }
}

export type InvalidPrecisionErrorType = InvalidPrecisionError & { name: 'InvalidPrecisionError' }

/** Binance `-1111` (precision over maximum) and `-4164` (notional below minimum): the order is off the venue grid. */
export class InvalidPrecisionError extends ConnectorError {
  override name = 'InvalidPrecisionError' as const
  constructor(args: VenueErrorArgs) {
    super(`${args.venue}: order size/price violates the instrument filters on ${args.endpoint}.`, {
      code: 'INVALID_PRECISION',
      venue: args.venue,
      venueCode: args.venueCode,
      retryable: false,
      metaMessages: venueLines(args, 'round with the decimal codec to tickSize/stepSize and check minNotional.'),
    })
  }
}

export type RateLimitedErrorType = RateLimitedError & { name: 'RateLimitedError' }

/** HTTP 429/418, Binance `-1003`, `-1015`, `-1008`: too many requests. `retryAfterMs` says when to try again. */
export class RateLimitedError extends ConnectorError {
  override name = 'RateLimitedError' as const
  readonly retryAfterMs: number
  readonly banned: boolean
  constructor(args: VenueErrorArgs & { retryAfterMs: number; banned: boolean }) {
    super(
      `${args.venue} rate-limited ${args.endpoint}${args.banned ? ' (IP BANNED)' : ''}; retry after ${args.retryAfterMs} ms.`,
      {
        code: args.banned ? 'IP_BANNED' : 'RATE_LIMITED',
        venue: args.venue,
        venueCode: args.venueCode,
        retryable: true,
        metaMessages: venueLines(
          args,
          'stop sending to this venue until retryAfterMs has passed; the limiter does this for you.',
        ),
      },
    )
    this.retryAfterMs = args.retryAfterMs
    this.banned = args.banned
  }
}

export type VenueUnavailableErrorType = VenueUnavailableError & { name: 'VenueUnavailableError' }

/**
 * 5xx, `-1006`, `-1007`, a timeout or a dropped connection on a request that is not an order creation.
 * `retryable` is true only for requests that are safe to repeat (reads, cancels).
 */
export class VenueUnavailableError extends ConnectorError {
  override name = 'VenueUnavailableError' as const
  constructor(args: VenueErrorArgs & { retryable: boolean }) {
    super(`${args.venue}: no definite answer for ${args.endpoint}.`, {
      code: 'VENUE_UNAVAILABLE',
      venue: args.venue,
      venueCode: args.venueCode,
      retryable: args.retryable,
      metaMessages: venueLines(args, args.retryable ? 'retry with backoff.' : 'reconcile state before retrying.'),
    })
  }
}
