import { computeBackoffMs } from '../../common/backoff.js'
import { type Clock, sleepOn } from '../../common/clock.js'
import type { RateLimiter, RequestCost } from '../../common/rateLimiter.js'
import type { ServerTimeOffset } from '../../common/serverTimeOffset.js'
import { ConnectorError } from '../../errors/base.js'
import { MalformedFrameError, RequestTimeoutError } from '../../errors/transport.js'
import { RateLimitedError, TimestampOutsideRecvWindowError, VenueUnavailableError } from '../../errors/venue.js'
import { type BinanceCredentials, buildQueryString, protectCredentials, signRestRequest } from '../credentials.js'
import { mapBinanceError } from './mapBinanceError.js'
import { type HttpTransportResponse, NodeHttpTransport } from './nodeHttpTransport.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** `NONE` public; `API_KEY` needs the key header (listenKey); `SIGNED` needs timestamp + signature. */
export type Security = 'NONE' | 'API_KEY' | 'SIGNED'

export type BinanceRequest = {
  method: HttpMethod
  path: string
  params?: readonly (readonly [string, string])[]
  security: Security
  cost: RequestCost
  /**
   * `safe`: idempotent (reads, cancels, listenKey); retried on 5xx/timeout/network errors with backoff.
   * `never`: order creation and other writes whose outcome must be reconciled, never blindly repeated.
   */
  retry: 'safe' | 'never'
  /** For typed post-only errors. */
  order?: { clientOrderId: string; price: string }
  /**
   * Called with the `timestamp` (server-time ms) signed into the request, each time it is signed (after any wait in the
   * rate limiter; again if a `-1021` re-sync re-signs it). The venue refuses the request once its clock passes
   * `timestamp + recvWindow`, so unknown-outcome deadlines run from this value.
   */
  onSigned?: ((timestampMs: number) => void) | undefined
}

export type BinanceResponse<T> = { body: T; status: number; headers: Record<string, string> }

export type BinanceHttpClientParameters = {
  venue: string
  baseUrl: string
  credentials?: BinanceCredentials | undefined
  clock: Clock
  random: () => number
  rateLimiter: RateLimiter
  serverTime: ServerTimeOffset
  /** Path of the server-time endpoint (`/fapi/v1/time`, `/api/v3/time`). */
  timePath: string
  /** Default 5000 (Binance recommends ≤ 5000). */
  recvWindowMs?: number
  /** Per-request timeout. Default 5000. */
  timeoutMs?: number
  /** Retries for `safe` requests. Default 2. */
  maxRetries?: number
  /** Called when a request's bytes have been handed to the socket (latency metrics). Receives `METHOD /path`, no query. */
  onRequestWritten?: ((endpoint: string) => void) | undefined
}

/**
 * Binance REST transport: signing (query signed as sent), server-time-corrected timestamps with recvWindow,
 * weight/order accounting through the rate limiter (published limits + X-MBX-* headers, 429/418 Retry-After),
 * timeouts, and retries only for requests that are safe to repeat. `-1021` re-syncs the clock and is retried once
 * (the venue rejected it before processing). Secrets never reach messages: errors carry the path, not the query.
 */
export class BinanceHttpClient {
  readonly venue: string
  readonly rateLimiter: RateLimiter
  readonly serverTime: ServerTimeOffset
  private readonly params: BinanceHttpClientParameters
  // #private: the keep-alive agent holds in-flight requests and their X-MBX-APIKEY header
  readonly #transport: NodeHttpTransport

  constructor(parameters: BinanceHttpClientParameters) {
    this.params = { ...parameters, credentials: protectCredentials(parameters.credentials) }
    this.#transport = new NodeHttpTransport({
      baseUrl: parameters.baseUrl,
      onRequestWritten: parameters.onRequestWritten,
    })
    this.venue = parameters.venue
    this.rateLimiter = parameters.rateLimiter
    this.serverTime = parameters.serverTime
  }

  get recvWindowMs(): number {
    return this.params.recvWindowMs ?? 5000
  }

  /** What `JSON.stringify` prints: settings only (never credentials, sockets or requests in flight). */
  toJSON(): { venue: string; baseUrl: string; recvWindowMs: number } {
    return { venue: this.venue, baseUrl: this.params.baseUrl, recvWindowMs: this.recvWindowMs }
  }

  /** Closes the keep-alive sockets; requests after this open new ones. */
  close(): void {
    this.#transport.close()
  }

  /** `GET <timePath>` and update the server-time offset. */
  async syncServerTime(): Promise<void> {
    const sentAt = this.params.clock.nowMs()
    const response = await this.request<{ serverTime: number }>({
      method: 'GET',
      path: this.params.timePath,
      security: 'NONE',
      cost: { weight: 1 },
      retry: 'safe',
    })
    const serverTime = response.body.serverTime
    if (typeof serverTime !== 'number')
      throw new MalformedFrameError({ venue: this.venue, field: 'serverTime', reason: 'is not a number' })
    this.serverTime.update(serverTime, sentAt, this.params.clock.nowMs())
  }

  async request<T>(request: BinanceRequest): Promise<BinanceResponse<T>> {
    const maxRetries = request.retry === 'safe' ? (this.params.maxRetries ?? 2) : 0
    let timeResynced = false
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce<T>(request)
      } catch (error) {
        if (error instanceof TimestampOutsideRecvWindowError && !timeResynced) {
          timeResynced = true
          await this.syncServerTime()
          continue
        }
        const retryable =
          error instanceof ConnectorError &&
          error.retryable &&
          (error instanceof VenueUnavailableError || error instanceof RateLimitedError)
        if (!retryable || attempt >= maxRetries) throw error
        if (!(error instanceof RateLimitedError))
          await sleepOn(this.params.clock, computeBackoffMs(attempt, { baseMs: 100, maxMs: 2_000 }, this.params.random))
        // a RateLimitedError blocked the limiter; requestOnce waits for it
      }
    }
  }

  private async requestOnce<T>(request: BinanceRequest): Promise<BinanceResponse<T>> {
    for (;;) {
      const delay = this.rateLimiter.delayMs(request.cost)
      if (delay === 0) break
      await sleepOn(this.params.clock, delay)
    }
    const params: (readonly [string, string])[] = [...(request.params ?? [])]
    const headers: Record<string, string> = {}
    if (request.security !== 'NONE') {
      if (!this.params.credentials)
        throw new ConnectorError(`${request.method} ${request.path} needs API credentials.`, {
          code: 'MISSING_CREDENTIALS',
          venue: this.venue,
          retryable: false,
          metaMessages: ['Next: pass credentials { apiKey, apiSecret } in the connector config.'],
        })
      headers['X-MBX-APIKEY'] = this.params.credentials.apiKey
    }
    let query: string
    if (request.security === 'SIGNED') {
      const timestampMs = this.serverTime.nowServerMs()
      params.push(['recvWindow', String(this.recvWindowMs)])
      params.push(['timestamp', String(timestampMs)])
      query = buildQueryString(params)
      query += `&signature=${signRestRequest(this.params.credentials!.apiSecret, query)}`
      request.onSigned?.(timestampMs)
    } else query = buildQueryString(params)
    const endpoint = `${request.method} ${request.path}`
    const pathAndQuery = query ? `${request.path}?${query}` : request.path
    this.rateLimiter.record(request.cost)
    const timeoutMs = this.params.timeoutMs ?? 5000
    // AbortController + an injected-clock timer: AbortSignal.timeout() costs ~35 µs per call on Node 20
    const controller = new AbortController()
    const timer = this.params.clock.setTimeout(() => controller.abort(), timeoutMs)
    let response: HttpTransportResponse
    try {
      response = await this.#transport.send(request.method, pathAndQuery, headers, controller.signal, endpoint)
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        if (request.retry === 'safe')
          throw new VenueUnavailableError({
            venue: this.venue,
            venueMessage: `timeout after ${timeoutMs} ms`,
            endpoint,
            retryable: true,
          })
        throw new RequestTimeoutError({ venue: this.venue, endpoint, timeoutMs })
      }
      throw new VenueUnavailableError({
        venue: this.venue,
        venueMessage: error instanceof Error ? error.message : String(error),
        endpoint,
        retryable: request.retry === 'safe',
      })
    } finally {
      timer.cancel()
    }
    const responseHeaders = response.headers
    const text = response.text
    this.rateLimiter.onHeaders(responseHeaders)
    if (response.status === 429 || response.status === 418) {
      const retryAfter = Number(responseHeaders['retry-after'])
      const retryAfterMs = Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined
      this.rateLimiter.onRateLimited(retryAfterMs)
      const body = tryJson(text)
      throw mapBinanceError(body?.code, body?.msg ?? text.slice(0, 200), {
        venue: this.venue,
        endpoint,
        httpStatus: response.status,
        safeToRetry: request.retry === 'safe',
        retryAfterMs,
        order: request.order,
      })
    }
    const body = tryJson(text)
    if (response.status >= 400 || (body && typeof body.code === 'number' && body.code < 0)) {
      throw mapBinanceError(body?.code, body?.msg ?? text.slice(0, 200), {
        venue: this.venue,
        endpoint,
        httpStatus: response.status,
        safeToRetry: request.retry === 'safe',
        order: request.order,
      })
    }
    if (body === undefined)
      throw new MalformedFrameError({ venue: this.venue, field: `${endpoint} body`, reason: 'is not JSON' })
    return { body: body as T, status: response.status, headers: responseHeaders }
  }
}

function tryJson(text: string): ({ code?: number; msg?: string } & Record<string, unknown>) | undefined {
  if (text.length === 0) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined
  } catch {
    // not JSON: the caller reports the raw text (truncated) as the venue message
    return undefined
  }
}
