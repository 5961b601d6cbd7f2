import { createHmac } from 'node:crypto'
import { inspect } from 'node:util'
import { DeribitInvalidCredentialsError } from '../errors/deribit.js'

/** Deribit API credentials (a client id and its secret). Never logged. */
export type DeribitCredentials = { readonly clientId: string; readonly clientSecret: string }

/**
 * Deribit credentials that never print their secret: it lives in a JS `#private` field (invisible to `util.inspect`,
 * even with `showHidden`, and to `JSON.stringify`), `toJSON` and `util.inspect` show `clientSecret: '[redacted]'`, and
 * the `clientSecret` getter sits on the prototype (not an own property). Build with `createDeribitCredentials`.
 */
export class DeribitApiCredentials implements DeribitCredentials {
  readonly clientId: string
  readonly #clientSecret: string
  constructor(clientId: string, clientSecret: string) {
    this.clientId = clientId
    this.#clientSecret = clientSecret
  }
  get clientSecret(): string {
    return this.#clientSecret
  }
  toJSON(): { clientId: string; clientSecret: '[redacted]' } {
    return { clientId: this.clientId, clientSecret: '[redacted]' }
  }
  [inspect.custom](): string {
    return `DeribitApiCredentials { clientId: ${JSON.stringify(this.clientId)}, clientSecret: '[redacted]' }`
  }
}

/**
 * Validates a Deribit key pair and returns it as `DeribitApiCredentials` (secret never printed).
 * @throws DeribitInvalidCredentialsError when `clientId` or `clientSecret` is not a non-blank string (names the field,
 * never the value).
 */
export function createDeribitCredentials(credentials: DeribitCredentials): DeribitApiCredentials {
  const value = credentials as unknown
  if (value === null || typeof value !== 'object')
    throw new DeribitInvalidCredentialsError({ field: 'clientId', rule: 'given (credentials is not an object)' })
  const { clientId, clientSecret } = value as { clientId?: unknown; clientSecret?: unknown }
  if (typeof clientId !== 'string' || clientId.trim() === '')
    throw new DeribitInvalidCredentialsError({ field: 'clientId', rule: 'a non-blank string' })
  if (typeof clientSecret !== 'string' || clientSecret.trim() === '')
    throw new DeribitInvalidCredentialsError({ field: 'clientSecret', rule: 'a non-blank string' })
  return new DeribitApiCredentials(clientId, clientSecret)
}

/** `Timestamp + "\n" + Nonce + "\n" + Data`: the string Deribit signs for both WS `client_signature` and REST HMAC. */
export function buildDeribitStringToSign(timestampMs: number, nonce: string, data: string): string {
  return `${timestampMs}\n${nonce}\n${data}`
}

/** Lower-case hex HMAC-SHA256 of `message` keyed by the client secret. */
export function signDeribitPayload(clientSecret: string, message: string): string {
  return createHmac('sha256', clientSecret).update(message).digest('hex')
}

/** Params of `public/auth` with `grant_type: client_signature` (the secret never leaves the process). */
export type DeribitSignatureAuthParams = {
  grant_type: 'client_signature'
  client_id: string
  timestamp: number
  nonce: string
  data: string
  signature: string
}

/** Builds signed `public/auth` params for the WebSocket `client_signature` grant. */
export function signDeribitWsAuth(
  credentials: DeribitCredentials,
  timestampMs: number,
  nonce: string,
  data = '',
): DeribitSignatureAuthParams {
  return {
    grant_type: 'client_signature',
    client_id: credentials.clientId,
    timestamp: timestampMs,
    nonce,
    data,
    signature: signDeribitPayload(credentials.clientSecret, buildDeribitStringToSign(timestampMs, nonce, data)),
  }
}

/**
 * The REST `Authorization` header `deri-hmac-sha256 id=…,ts=…,sig=…,nonce=…` where the signed data is
 * `UPPER(method) + "\n" + pathAndQuery + "\n" + body + "\n"`.
 */
export function signDeribitRestRequest(
  credentials: DeribitCredentials,
  parameters: { method: string; pathAndQuery: string; body: string; timestampMs: number; nonce: string },
): string {
  const data = `${parameters.method.toUpperCase()}\n${parameters.pathAndQuery}\n${parameters.body}\n`
  const sig = signDeribitPayload(
    credentials.clientSecret,
    buildDeribitStringToSign(parameters.timestampMs, parameters.nonce, data),
  )
  return `deri-hmac-sha256 id=${credentials.clientId},ts=${parameters.timestampMs},sig=${sig},nonce=${parameters.nonce}`
}
