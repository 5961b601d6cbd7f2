import { ConnectorError } from './base.js'

export type InvalidDeribitInstrumentNameErrorType = InvalidDeribitInstrumentNameError & {
  name: 'InvalidDeribitInstrumentNameError'
}

/** A Deribit instrument name (or its parts) does not follow `BASE[_QUOTE]-{PERPETUAL|DMMMYY[-STRIKE-C|P]}`. */
export class InvalidDeribitInstrumentNameError extends ConnectorError {
  override name = 'InvalidDeribitInstrumentNameError' as const
  readonly instrumentName: string
  constructor({ instrumentName, rule }: { instrumentName: string; rule: string }) {
    super(`Invalid Deribit instrument name ${JSON.stringify(instrumentName)}: ${rule}.`, {
      code: 'INVALID_INSTRUMENT_NAME',
      venue: 'deribit',
      retryable: false,
      metaMessages: ['Next: use names like BTC-PERPETUAL, BTC-27DEC24, BTC-27DEC24-60000-C or BTC_USDC-PERPETUAL.'],
    })
    this.instrumentName = instrumentName
  }
}

export type DeribitRpcErrorType = DeribitRpcError & { name: 'DeribitRpcError' }

/** Deribit answered a JSON-RPC request with an `error` this package has no dedicated class for. */
export class DeribitRpcError extends ConnectorError {
  override name = 'DeribitRpcError' as const
  readonly method: string
  constructor({
    method,
    venueCode,
    venueMessage,
    retryable,
  }: { method: string; venueCode: number; venueMessage: string; retryable: boolean }) {
    super(`Deribit rejected ${method} with code ${venueCode} (${venueMessage}).`, {
      code: 'VENUE_REJECTED',
      venue: 'deribit',
      venueCode,
      retryable,
      metaMessages: [
        `Method: ${method}`,
        retryable
          ? 'Next: retry after a short backoff; the venue reports a transient condition.'
          : 'Next: fix the request; sending it unchanged will fail again.',
      ],
    })
    this.method = method
  }
}

export type DeribitAuthErrorType = DeribitAuthError & { name: 'DeribitAuthError' }

/** Deribit `13004 invalid_credentials` or `13009 unauthorized` (bad or expired token). */
export class DeribitAuthError extends ConnectorError {
  override name = 'DeribitAuthError' as const
  readonly method: string
  constructor({ method, venueCode, venueMessage }: { method: string; venueCode: number; venueMessage: string }) {
    super(`Deribit refused authentication on ${method} (code ${venueCode}, ${venueMessage}).`, {
      code: 'AUTH_FAILED',
      venue: 'deribit',
      venueCode,
      retryable: venueCode === 13009,
      metaMessages: [
        venueCode === 13009
          ? 'Next: re-authenticate (public/auth) and resend; the access token expired or belongs to another connection.'
          : 'Next: check client_id / client_secret (and that the clock is within 60 s of the venue); they were rejected, so the client stopped: start a new one with corrected keys.',
      ],
    })
    this.method = method
  }
}

export type DeribitSessionTerminatedErrorType = DeribitSessionTerminatedError & {
  name: 'DeribitSessionTerminatedError'
}

/** Deribit `10028 too_many_requests`: credits exhausted and the session was terminated. */
export class DeribitSessionTerminatedError extends ConnectorError {
  override name = 'DeribitSessionTerminatedError' as const
  constructor({ method }: { method: string }) {
    super(`Deribit terminated the session on ${method}: request credits exhausted (10028).`, {
      code: 'RATE_LIMIT_SESSION_TERMINATED',
      venue: 'deribit',
      venueCode: 10028,
      retryable: false,
      metaMessages: [
        'The local credit limiter should have prevented this: its pool/refill settings exceed the account tier.',
        'Next: reconnect after the credits refill, re-authenticate and reconcile open orders.',
      ],
    })
  }
}

export type DeribitRequestTimeoutErrorType = DeribitRequestTimeoutError & { name: 'DeribitRequestTimeoutError' }

/** A JSON-RPC request got no answer in time or its socket closed first. For order methods the outcome is unknown. */
export class DeribitRequestTimeoutError extends ConnectorError {
  override name = 'DeribitRequestTimeoutError' as const
  readonly method: string
  constructor({ method, timeoutMs, reason }: { method: string; timeoutMs: number; reason: 'timeout' | 'closed' }) {
    super(
      reason === 'timeout'
        ? `Deribit did not answer ${method} within ${timeoutMs} ms.`
        : `The Deribit socket closed before ${method} was answered.`,
      {
        code: 'REQUEST_UNANSWERED',
        venue: 'deribit',
        retryable: false,
        metaMessages: ['Next: reconcile by label (client order id) before resending an order request.'],
      },
    )
    this.method = method
  }
}

export type DeribitInverseInstrumentErrorType = DeribitInverseInstrumentError & {
  name: 'DeribitInverseInstrumentError'
}

/**
 * An order on an inverse instrument (`BTC-PERPETUAL`, `BTC-27DEC24`): Deribit's `amount` is in USD (multiples of the
 * contract size, 10 USD for BTC), not in base coin.
 * @deprecated No longer thrown: `DeribitExecutionClient` converts `sizeBase` to a USD amount on inverse instruments
 * (`sizeBaseToInverseAmountUsd`). Kept so code that imports it still compiles.
 */
export class DeribitInverseInstrumentError extends ConnectorError {
  override name = 'DeribitInverseInstrumentError' as const
  readonly instrumentName: string
  constructor({ instrumentName, method }: { instrumentName: string; method: string }) {
    super(
      `Deribit ${method} refused for ${instrumentName}: an inverse instrument sizes orders in USD, not in base coin.`,
      {
        code: 'INVERSE_INSTRUMENT_UNSUPPORTED',
        venue: 'deribit',
        retryable: false,
        metaMessages: ['Next: quote a linear instrument such as BTC_USDC-PERPETUAL (amount in base coin).'],
      },
    )
    this.instrumentName = instrumentName
  }
}

export type DeribitAmountBelowMinimumErrorType = DeribitAmountBelowMinimumError & {
  name: 'DeribitAmountBelowMinimumError'
}

/**
 * An order on an inverse instrument whose `sizeBase` at its limit price, rounded DOWN to whole contracts, is below the
 * instrument's `min_trade_amount` (USD). Raised before any request: sending it would be rejected, and rounding up
 * would hedge more than asked.
 */
export class DeribitAmountBelowMinimumError extends ConnectorError {
  override name = 'DeribitAmountBelowMinimumError' as const
  readonly instrumentName: string
  readonly sizeBase: string
  readonly price: string
  readonly amountUsd: string
  readonly minTradeAmountUsd: string
  constructor({
    instrumentName,
    sizeBase,
    price,
    amountUsd,
    minTradeAmountUsd,
  }: { instrumentName: string; sizeBase: string; price: string; amountUsd: string; minTradeAmountUsd: string }) {
    super(
      `Deribit ${instrumentName}: sizeBase ${sizeBase} at price ${price} is ${amountUsd} USD in whole contracts, below min_trade_amount ${minTradeAmountUsd} USD.`,
      {
        code: 'ORDER_SIZE_BELOW_MINIMUM',
        venue: 'deribit',
        retryable: false,
        metaMessages: [
          `Next: quote at least ${minTradeAmountUsd} USD (sizeBase ≥ ${minTradeAmountUsd} / price) or skip this quote.`,
        ],
      },
    )
    this.instrumentName = instrumentName
    this.sizeBase = sizeBase
    this.price = price
    this.amountUsd = amountUsd
    this.minTradeAmountUsd = minTradeAmountUsd
  }
}

export type DeribitNotConnectedErrorType = DeribitNotConnectedError & { name: 'DeribitNotConnectedError' }

/**
 * A request was NOT sent: its connection is closed, reconnecting, or not yet re-authenticated and resubscribed. Definite:
 * the venue never saw it (an order was not placed, amended or cancelled). Sending it again once the connection is back
 * (`health` `open`) is safe.
 */
export class DeribitNotConnectedError extends ConnectorError {
  override name = 'DeribitNotConnectedError' as const
  readonly method: string
  /** The connection's name, e.g. `deribit/trading`. */
  readonly connection: string
  /** Always false: the request never left the process. */
  readonly sent = false
  constructor({
    method,
    connection,
    reason,
    cause,
  }: { method: string; connection: string; reason: string; cause?: unknown }) {
    super(`Deribit ${method} was not sent: connection ${connection} is ${reason}.`, {
      code: 'CONNECTION_CLOSED',
      venue: 'deribit',
      retryable: true,
      cause,
      metaMessages: [
        'The venue never received this request.',
        'Next: wait for the health "open" event (then the "reconciled" snapshot) and decide again.',
      ],
    })
    this.method = method
    this.connection = connection
  }
}

export type DeribitInvalidCredentialsErrorType = DeribitInvalidCredentialsError & {
  name: 'DeribitInvalidCredentialsError'
}

/** Deribit credentials given to a client are unusable (a field is missing, empty or not a string). Never shows values. */
export class DeribitInvalidCredentialsError extends ConnectorError {
  override name = 'DeribitInvalidCredentialsError' as const
  readonly field: 'clientId' | 'clientSecret'
  constructor({ field, rule }: { field: 'clientId' | 'clientSecret'; rule: string }) {
    super(`Invalid Deribit credentials: ${field} must be ${rule}.`, {
      code: 'INVALID_CREDENTIALS',
      venue: 'deribit',
      retryable: false,
      metaMessages: ['Next: pass the API key pair from the Deribit account page (clientId, clientSecret).'],
    })
    this.field = field
  }
}
