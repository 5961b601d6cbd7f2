import type { Clock } from '../../common/clock.js'
import { GrvtApiError } from '../../errors/grvt.js'
import { MalformedFrameError, RequestTimeoutError } from '../../errors/transport.js'

export type GrvtSession = { readonly cookie: string; readonly accountId: string; readonly expiresAtMs: number }

export type GrvtHttpClientParameters = {
  /** Edge (auth) base, e.g. `https://edge.testnet.grvt.io`. */
  edgeUrl: string
  /** Trading REST base, e.g. `https://trades.testnet.grvt.io`. */
  tradesUrl: string
  /** Market-data REST base, e.g. `https://market-data.testnet.grvt.io`. */
  marketDataUrl: string
  apiKey: string
  clock: Pick<Clock, 'nowMs'>
  /** Log in again when the session has less than this left. Default 5 000 (as pysdk). */
  refreshBeforeExpiryMs?: number | undefined
  timeoutMs?: number | undefined
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** A session whose `cookie` is a non-enumerable property and whose inspect/JSON forms leave it out. */
function hideCookie(session: GrvtSession): GrvtSession {
  const shown = { accountId: session.accountId, expiresAtMs: session.expiresAtMs, cookie: '<redacted>' }
  const out = { accountId: session.accountId, expiresAtMs: session.expiresAtMs }
  Object.defineProperty(out, 'cookie', { value: session.cookie, enumerable: false })
  Object.defineProperty(out, 'toJSON', { value: () => shown, enumerable: false })
  Object.defineProperty(out, Symbol.for('nodejs.util.inspect.custom'), { value: () => shown, enumerable: false })
  return Object.freeze(out) as GrvtSession
}

/**
 * GRVT REST: every call is a JSON POST to `/full/v1/<name>`. Private calls carry the `gravity` session cookie and the
 * `X-Grvt-Account-Id` header from `POST {edge}/auth/api_key/login`; the session is renewed shortly before it expires
 * and once more when the venue answers 401 (code 1000). Errors become `GrvtApiError` with GRVT's code.
 */
export class GrvtHttpClient {
  private readonly p: Omit<GrvtHttpClientParameters, 'apiKey'>
  // secrets live in #private fields: invisible to util.inspect, JSON.stringify and Object.keys
  readonly #apiKey: string
  #session: GrvtSession | undefined
  #loggingIn: Promise<GrvtSession> | undefined
  /** Number of logins so far (metric). */
  loginCount = 0

  constructor(parameters: GrvtHttpClientParameters) {
    const { apiKey, ...rest } = parameters
    this.#apiKey = apiKey
    this.p = rest
  }

  /** What `JSON.stringify` shows: endpoints and counters, never the API key or the session cookie. */
  toJSON(): Record<string, unknown> {
    return {
      kind: 'GrvtHttpClient',
      edgeUrl: this.p.edgeUrl,
      tradesUrl: this.p.tradesUrl,
      marketDataUrl: this.p.marketDataUrl,
      loggedIn: this.#session !== undefined,
      loginCount: this.loginCount,
    }
  }

  /** A live session, logging in when there is none or it is about to expire. */
  async getSession(): Promise<GrvtSession> {
    const s = this.#session
    if (s && s.expiresAtMs - this.p.clock.nowMs() > (this.p.refreshBeforeExpiryMs ?? 5_000)) return s
    this.#loggingIn ??= this.login().finally(() => {
      this.#loggingIn = undefined
    })
    return this.#loggingIn
  }

  /** Forgets the session (the venue refused it); the next call logs in again. */
  invalidateSession(): void {
    this.#session = undefined
  }

  async login(): Promise<GrvtSession> {
    const timeoutMs = this.p.timeoutMs ?? 10_000
    let res: Response
    try {
      res = await fetch(`${this.p.edgeUrl}/auth/api_key/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'rm=true;' },
        body: JSON.stringify({ api_key: this.#apiKey }),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      // no answer (timeout, connection refused or reset): typed like any other transport failure
      throw Object.assign(new RequestTimeoutError({ venue: 'grvt', endpoint: 'auth/api_key/login', timeoutMs }), {
        cause: error,
      })
    }
    const body = asObject(await res.json().catch(() => undefined)) ?? {}
    if (!res.ok)
      throw new GrvtApiError({
        endpoint: 'auth/api_key/login',
        venueCode: Number(body.code ?? res.status),
        venueMessage: String(body.message ?? res.statusText).slice(0, 300),
        httpStatus: res.status,
      })
    const setCookie = res.headers.get('set-cookie') ?? ''
    const cookie = /gravity=([^;]+)/.exec(setCookie)?.[1]
    const expires = /expires=([^;]+)/i.exec(setCookie)?.[1]
    const accountId = res.headers.get('x-grvt-account-id')
    if (!cookie || !accountId)
      throw new MalformedFrameError({
        venue: 'grvt',
        field: 'set-cookie/x-grvt-account-id',
        reason: 'is missing from the login answer',
      })
    const expiresAtMs = expires ? Date.parse(expires) : Number.NaN
    if (!Number.isFinite(expiresAtMs))
      throw new MalformedFrameError({ venue: 'grvt', field: 'set-cookie expires', reason: 'is not a date' })
    this.loginCount++
    // the session object keeps the cookie out of inspect/JSON too (the private stream reads it for its upgrade)
    const session = hideCookie({ cookie: `gravity=${cookie}`, accountId, expiresAtMs })
    this.#session = session
    return session
  }

  /** Public market-data call. */
  async market(name: string, body: Record<string, unknown>): Promise<unknown> {
    return this.post(`${this.p.marketDataUrl}/full/v1/${name}`, name, body, undefined)
  }

  /** Private trading call (session attached; one re-login on 401). */
  async trade(name: string, body: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.post(`${this.p.tradesUrl}/full/v1/${name}`, name, body, await this.getSession())
    } catch (error) {
      if (error instanceof GrvtApiError && error.venueCode === 1000) {
        this.invalidateSession()
        return this.post(`${this.p.tradesUrl}/full/v1/${name}`, name, body, await this.getSession())
      }
      throw error
    }
  }

  private async post(
    url: string,
    name: string,
    body: Record<string, unknown>,
    session: GrvtSession | undefined,
  ): Promise<unknown> {
    const timeoutMs = this.p.timeoutMs ?? 10_000
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(session ? { cookie: session.cookie, 'x-grvt-account-id': session.accountId } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      // no answer (timeout, connection reset): the request may or may not have been processed
      throw Object.assign(new RequestTimeoutError({ venue: 'grvt', endpoint: name, timeoutMs }), { cause: error })
    }
    const parsed: unknown = await res.json().catch((error: unknown) => {
      throw new MalformedFrameError({ venue: 'grvt', field: '<body>', reason: 'is not JSON', cause: error })
    })
    const json = asObject(parsed)
    if (!res.ok || json?.code !== undefined)
      throw new GrvtApiError({
        endpoint: name,
        venueCode: Number(json?.code ?? res.status),
        venueMessage: String(json?.message ?? res.statusText).slice(0, 300),
        httpStatus: res.status,
      })
    if (json === undefined)
      throw new MalformedFrameError({ venue: 'grvt', field: '<body>', reason: 'is not a JSON object' })
    return json.result
  }
}
