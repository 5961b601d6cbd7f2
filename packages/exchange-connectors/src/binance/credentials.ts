import { createHmac } from 'node:crypto'
import { inspect } from 'node:util'
import { ConnectorError } from '../errors/base.js'

/** A Binance HMAC API key pair. The secret never appears in messages, logs or errors. */
export type BinanceCredentials = { readonly apiKey: string; readonly apiSecret: string }

const REDACTED = '[redacted]'

/**
 * A key pair held in JS `#private` fields: `util.inspect` (even with `showHidden`) and `JSON.stringify` print
 * `[redacted]`, so a logged config, client or error never carries the key or the secret.
 */
class ProtectedBinanceCredentials implements BinanceCredentials {
  readonly #apiKey: string
  readonly #apiSecret: string

  constructor(credentials: BinanceCredentials) {
    this.#apiKey = credentials.apiKey
    this.#apiSecret = credentials.apiSecret
  }

  get apiKey(): string {
    return this.#apiKey
  }

  get apiSecret(): string {
    return this.#apiSecret
  }

  toJSON(): { apiKey: string; apiSecret: string } {
    return { apiKey: REDACTED, apiSecret: REDACTED }
  }

  [inspect.custom](): string {
    return `BinanceCredentials { apiKey: ${REDACTED}, apiSecret: ${REDACTED} }`
  }
}

/** Printable ASCII without spaces: what a Binance API key and secret consist of (and what an HTTP header can carry). */
const CREDENTIAL_CHARS = /^[\x21-\x7e]+$/

/**
 * Wraps a key pair so it never prints (idempotent). Every Binance client stores its credentials through this.
 * Throws `ConnectorError` code `INVALID_CREDENTIALS` naming the field (never its value) when the key or the secret is
 * not a non-empty string of printable ASCII without whitespace (a pasted newline would otherwise surface as `-1022`
 * on every request, or as a transport error on the order path).
 */
export function protectCredentials(credentials: BinanceCredentials): BinanceCredentials
export function protectCredentials(credentials: BinanceCredentials | undefined): BinanceCredentials | undefined
export function protectCredentials(credentials: BinanceCredentials | undefined): BinanceCredentials | undefined {
  if (credentials === undefined || credentials instanceof ProtectedBinanceCredentials) return credentials
  for (const field of ['apiKey', 'apiSecret'] as const) {
    const value: unknown = credentials[field]
    const problem =
      typeof value !== 'string'
        ? `is ${value === undefined ? 'missing' : `a ${typeof value}, not a string`}`
        : value.length === 0
          ? 'is empty'
          : CREDENTIAL_CHARS.test(value)
            ? undefined
            : `has ${value.length} characters, some of them whitespace, control or non-ASCII`
    if (problem)
      throw new ConnectorError(`Invalid Binance credentials: ${field} ${problem}.`, {
        code: 'INVALID_CREDENTIALS',
        venue: 'binance',
        retryable: false,
        metaMessages: [`Next: pass ${field} exactly as Binance issued it (printable ASCII, no spaces or line breaks).`],
      })
  }
  return new ProtectedBinanceCredentials(credentials)
}

/** `hex(HMAC_SHA256(secret, payload))`, the signature of every Binance HMAC-signed request. */
export function signPayload(apiSecret: string, payload: string): string {
  return createHmac('sha256', apiSecret).update(payload, 'utf8').digest('hex')
}

/** Percent-encodes one query value the way Binance expects before signing (RFC 3986 unreserved kept). */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value)
}

/**
 * Builds the query string for a REST request in the order given (Binance signs the query AS SENT, not sorted), with
 * values percent-encoded (non-ASCII included, REST-2 vector).
 */
export function buildQueryString(params: readonly (readonly [string, string])[]): string {
  return params.map(([k, v]) => `${k}=${encodeQueryValue(v)}`).join('&')
}

/**
 * REST signing rule: payload = query string + request body (no separator); the signature is appended as
 * `&signature=<hex>`.
 */
export function signRestRequest(apiSecret: string, queryString: string, body = ''): string {
  return signPayload(apiSecret, queryString + body)
}

/**
 * WebSocket-API signing rule: every parameter except `signature` (apiKey included), sorted by name, joined as
 * `k=v&…` with values NOT percent-encoded (UTF-8 as is).
 */
export function buildWsApiSignaturePayload(params: Readonly<Record<string, string | number | boolean>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&')
}

/** Signs WebSocket-API params; returns the hex signature to put in `params.signature`. */
export function signWsApiParams(
  apiSecret: string,
  params: Readonly<Record<string, string | number | boolean>>,
): string {
  return signPayload(apiSecret, buildWsApiSignaturePayload(params))
}
