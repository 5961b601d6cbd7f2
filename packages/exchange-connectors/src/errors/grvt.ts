import { ConnectorError } from './base.js'

export type InvalidGrvtInstrumentNameErrorType = InvalidGrvtInstrumentNameError & {
  name: 'InvalidGrvtInstrumentNameError'
}

/** A GRVT instrument name does not follow `BASE_QUOTE_{Perp|Fut_DMonYY|Call_DMonYY_STRIKE|Put_DMonYY_STRIKE}`. */
export class InvalidGrvtInstrumentNameError extends ConnectorError {
  override name = 'InvalidGrvtInstrumentNameError' as const
  readonly instrumentName: string
  constructor({ instrumentName, rule }: { instrumentName: string; rule: string }) {
    super(`Invalid GRVT instrument name ${JSON.stringify(instrumentName)}: ${rule}.`, {
      code: 'INVALID_INSTRUMENT_NAME',
      venue: 'grvt',
      retryable: false,
      metaMessages: ['Next: use names like BTC_USDT_Perp, BTC_USDT_Fut_20Oct23 or ETH_USDT_Call_20Oct23_2800.'],
    })
    this.instrumentName = instrumentName
  }
}

export type GrvtSigningValueErrorType = GrvtSigningValueError & { name: 'GrvtSigningValueError' }

/** A value put into the EIP-712 order does not fit its Solidity type (uint64 size/price, uint32 nonce, int64 expiry). */
export class GrvtSigningValueError extends ConnectorError {
  override name = 'GrvtSigningValueError' as const
  readonly field: string
  readonly value: string
  constructor({ field, value, rule }: { field: string; value: string; rule: string }) {
    super(`GRVT order field ${field} = ${JSON.stringify(value)} cannot be signed: ${rule}.`, {
      code: 'INVALID_SIGNING_VALUE',
      venue: 'grvt',
      retryable: false,
      metaMessages: [`Next: pass ${field} so that it is ${rule}.`],
    })
    this.field = field
    this.value = value
  }
}

export type InvalidGrvtClientOrderIdErrorType = InvalidGrvtClientOrderIdError & {
  name: 'InvalidGrvtClientOrderIdError'
}

/** A client order id outside the API range [2^63, 2^64 − 1] (ids below 2^63 belong to the GRVT UI). */
export class InvalidGrvtClientOrderIdError extends ConnectorError {
  override name = 'InvalidGrvtClientOrderIdError' as const
  readonly clientOrderId: string
  constructor({ clientOrderId }: { clientOrderId: string }) {
    super(`GRVT client_order_id ${JSON.stringify(clientOrderId)} is not a decimal integer in [2^63, 2^64 − 1].`, {
      code: 'INVALID_CLIENT_ORDER_ID',
      venue: 'grvt',
      retryable: false,
      metaMessages: ['Next: derive ids with createGrvtClientOrderId (2^63 + a counter).'],
    })
    this.clientOrderId = clientOrderId
  }
}

export type GrvtApiErrorType = GrvtApiError & { name: 'GrvtApiError' }

/** GRVT answered with an error object `{code, message, status}`. */
export class GrvtApiError extends ConnectorError {
  override name = 'GrvtApiError' as const
  readonly endpoint: string
  readonly httpStatus: number | undefined
  constructor({
    endpoint,
    venueCode,
    venueMessage,
    httpStatus,
  }: { endpoint: string; venueCode: number; venueMessage: string; httpStatus?: number | undefined }) {
    const auth = venueCode === 1000 || venueCode === 1001 || venueCode === 1002
    super(`GRVT rejected ${endpoint} with code ${venueCode} (${venueMessage}).`, {
      code: auth ? 'AUTH_FAILED' : 'VENUE_REJECTED',
      venue: 'grvt',
      venueCode,
      retryable: auth,
      metaMessages: [
        auth
          ? 'Next: log in again (session cookie expired) and resend.'
          : 'Next: fix the request; sending it unchanged will fail again.',
      ],
    })
    this.endpoint = endpoint
    this.httpStatus = httpStatus
  }
}

export type InvalidGrvtSignerKeyErrorType = InvalidGrvtSignerKeyError & { name: 'InvalidGrvtSignerKeyError' }

/**
 * The GRVT signer (trading) key is not a secp256k1 private key: 32 bytes as 64 hex digits, with or without `0x`. The
 * message says what is wrong (length, kind of character, range) and never repeats the key or any part of it.
 */
export class InvalidGrvtSignerKeyError extends ConnectorError {
  override name = 'InvalidGrvtSignerKeyError' as const
  constructor({ problem }: { problem: string }) {
    super(`The GRVT signer private key is invalid: ${problem}.`, {
      code: 'INVALID_SIGNER_KEY',
      venue: 'grvt',
      retryable: false,
      metaMessages: [
        'Next: pass the trading key registered as the sub-account signer: 64 hex digits (optionally 0x-prefixed), no whitespace.',
      ],
    })
  }
}
