import type { BackoffPolicy } from '../../common/backoff.js'
import { type Clock, sleepOn, type TimerHandle } from '../../common/clock.js'
import type { RateLimiter, RateLimitKind, RequestCost } from '../../common/rateLimiter.js'
import { ReconnectingSocket } from '../../common/reconnectingSocket.js'
import type { ServerTimeOffset } from '../../common/serverTimeOffset.js'
import type { ConnectionHealthEvent } from '../../common/types/health.js'
import type { ConnectorError } from '../../errors/base.js'
import { ConnectionClosedError, MalformedFrameError, RequestTimeoutError } from '../../errors/transport.js'
import { RateLimitedError, VenueUnavailableError } from '../../errors/venue.js'
import { type BinanceCredentials, protectCredentials, signWsApiParams } from '../credentials.js'
import { mapBinanceError } from '../http/mapBinanceError.js'

export type BinanceWsApiRequest = {
  /** `order.place`, `order.cancel`, `order.modify`, `order.status`, … */
  method: string
  /** Method params without `apiKey`, `timestamp`, `recvWindow`, `signature` (added here). Any order. */
  params: readonly (readonly [string, string])[]
  cost: RequestCost
  /** `safe`: a lost answer is reported as retryable. `never`: a lost answer is an unknown outcome (reconcile). */
  retry: 'safe' | 'never'
  /** For typed post-only errors. */
  order?: { clientOrderId: string; price: string }
  /** Called with the `timestamp` (server-time ms) signed into the frame, after any wait in the rate limiter. */
  onSigned?: ((timestampMs: number) => void) | undefined
}

export type BinanceWsApiClientParameters = {
  venue: string
  /** `wss://ws-fapi.binance.com/ws-fapi/v1` (USDⓈ-M) or `…/ws-api/v3` (spot). */
  url: string
  credentials: BinanceCredentials
  clock: Clock
  random: () => number
  /** The REST client's limiter: the WebSocket API counts against the same IP weight and account order limits. */
  rateLimiter: RateLimiter
  serverTime: ServerTimeOffset
  /** Default 5000. */
  recvWindowMs?: number
  /** No answer within this → timeout (unknown outcome for writes). Default 5000. */
  timeoutMs?: number
  backoff?: BackoffPolicy
  heartbeatIntervalMs?: number
  staleAfterMs?: number
  maxConnectionAgeMs?: number
  /** Called right after a request frame was handed to the socket, with the method name (latency metrics). */
  onRequestWritten?: ((method: string) => void) | undefined
}

/**
 * The signed WebSocket-API request frame: `apiKey`, `recvWindow` and `timestamp` join the params and the signature is the
 * WS-API rule (`signWsApiParams`: every param but `signature`, sorted by name, `k=v&…`, HMAC-SHA256 hex). `recvWindow`
 * and `timestamp` are JSON numbers, as in Binance's examples (the same digits are signed).
 */
export function buildWsApiFrame(frame: {
  id: string
  method: string
  params: readonly (readonly [string, string])[]
  credentials: BinanceCredentials
  recvWindowMs: number
  timestampMs: number
}): string {
  const params: Record<string, string | number> = Object.fromEntries(frame.params)
  params.apiKey = frame.credentials.apiKey
  params.recvWindow = frame.recvWindowMs
  params.timestamp = frame.timestampMs
  params.signature = signWsApiParams(frame.credentials.apiSecret, params)
  return JSON.stringify({ id: frame.id, method: frame.method, params })
}

type Pending = {
  readonly request: BinanceWsApiRequest
  readonly resolve: (result: unknown) => void
  readonly reject: (error: Error) => void
  readonly timer: TimerHandle
}

const INTERVAL_MS: Readonly<Record<string, number>> = {
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
}
const LIMIT_KIND: Readonly<Record<string, RateLimitKind>> = { REQUEST_WEIGHT: 'weight', ORDERS: 'orders' }

/**
 * Binance WebSocket-API requests on one persistent socket (order entry without HTTP: no request line, headers or
 * connection pool on the order path). Each request is signed by the WS-API rule (all params but `signature`, sorted by
 * name, `k=v&…`, HMAC-SHA256 hex) with a server-time-corrected timestamp, and answered by `id`.
 *
 * Safety rules, the same as REST:
 * - the shared `RateLimiter` gates every request and takes the server's counts from `rateLimits[]`;
 * - a write (`retry: 'never'`) whose answer is lost (timeout, socket closed while waiting) rejects with
 *   `RequestTimeoutError` / `VenueUnavailableError` (unknown outcome: the execution client reconciles by client order
 *   id, never resends);
 * - a request is only written on an open socket: otherwise `ConnectionClosedError` and nothing was sent.
 * Secrets never reach messages: errors name the method, not the params.
 */
export class BinanceWsApiClient {
  readonly venue: string
  readonly socket: ReconnectingSocket
  private readonly params: BinanceWsApiClientParameters
  private readonly pending = new Map<string, Pending>()
  private nextId = 1

  constructor(parameters: BinanceWsApiClientParameters) {
    this.params = { ...parameters, credentials: protectCredentials(parameters.credentials) }
    this.venue = parameters.venue
    this.socket = new ReconnectingSocket({
      name: `${parameters.venue}/ws-api`,
      venue: parameters.venue,
      url: parameters.url,
      clock: parameters.clock,
      random: parameters.random,
      backoff: parameters.backoff,
      heartbeatIntervalMs: parameters.heartbeatIntervalMs,
      staleAfterMs: parameters.staleAfterMs,
      maxConnectionAgeMs: parameters.maxConnectionAgeMs,
      maskingKey: 'zero',
    })
    this.socket.on('message', (text) => this.onMessage(text))
    this.socket.on('health', (event) => this.onHealth(event))
  }

  /** Connects; resolves when the socket is open. */
  start(): Promise<void> {
    return this.socket.start()
  }

  /** What `JSON.stringify` prints: connection state only (never credentials or request frames). */
  toJSON(): { venue: string; open: boolean; pendingCount: number; connectionCount: number } {
    return {
      venue: this.venue,
      open: this.socket.isOpen,
      pendingCount: this.pending.size,
      connectionCount: this.socket.connectionCount,
    }
  }

  /** Closes the socket; requests still waiting reject as if the connection dropped. */
  close(): void {
    this.socket.stop()
    this.failPending('client closed')
  }

  /** recvWindow signed into every request (ms). */
  get recvWindowMs(): number {
    return this.params.recvWindowMs ?? 5000
  }

  /** Requests waiting for an answer (metric). */
  get pendingCount(): number {
    return this.pending.size
  }

  async request<T = unknown>(request: BinanceWsApiRequest): Promise<T> {
    const limiter = this.params.rateLimiter
    for (let delay = limiter.delayMs(request.cost); delay > 0; delay = limiter.delayMs(request.cost))
      await sleepOn(this.params.clock, delay)
    if (!this.socket.isOpen)
      throw new ConnectionClosedError({ venue: this.venue, url: `ws-api ${request.method}`, reason: 'not open' })
    const id = `a${this.nextId++}`
    const timestampMs = this.params.serverTime.nowServerMs()
    const text = this.buildFrame(id, request, timestampMs)
    request.onSigned?.(timestampMs)
    limiter.record(request.cost)
    const timeoutMs = this.params.timeoutMs ?? 5000
    return new Promise<T>((resolve, reject) => {
      const timer = this.params.clock.setTimeout(() => {
        if (!this.pending.delete(id)) return
        reject(this.lostAnswer(request, `no answer within ${timeoutMs} ms`, timeoutMs))
      }, timeoutMs)
      this.pending.set(id, { request, resolve: resolve as (result: unknown) => void, reject, timer })
      this.socket.send(text)
      this.params.onRequestWritten?.(request.method)
    })
  }

  private buildFrame(id: string, request: BinanceWsApiRequest, timestampMs: number): string {
    return buildWsApiFrame({
      id,
      method: request.method,
      params: request.params,
      credentials: this.params.credentials,
      recvWindowMs: this.recvWindowMs,
      timestampMs,
    })
  }

  private onMessage(text: string): void {
    let frame: unknown
    try {
      frame = JSON.parse(text)
    } catch {
      this.malformed('frame', 'is not JSON')
      return
    }
    if (frame === null || typeof frame !== 'object') {
      this.malformed('frame', 'is not an object')
      return
    }
    const { id, status, result, error, rateLimits } = frame as {
      id?: unknown
      status?: unknown
      result?: unknown
      error?: { code?: unknown; msg?: unknown; data?: { retryAfter?: unknown } }
      rateLimits?: unknown
    }
    if (Array.isArray(rateLimits)) this.applyRateLimits(rateLimits)
    if (typeof id !== 'string') {
      // `id: null` answers a frame the venue could not parse; nothing of ours is waiting on it
      if (id !== null) this.malformed('id', 'is not a string')
      return
    }
    const waiting = this.pending.get(id)
    if (waiting === undefined) return // answered after its timeout: the caller already reconciles
    this.pending.delete(id)
    waiting.timer.cancel()
    if (status === 200) {
      waiting.resolve(result)
      return
    }
    const httpStatus = typeof status === 'number' ? status : 0
    const code = typeof error?.code === 'number' ? error.code : undefined
    const message = typeof error?.msg === 'string' ? error.msg : `status ${String(status)}`
    const retryAt = error?.data?.retryAfter
    const retryAfterMs =
      typeof retryAt === 'number' ? Math.max(0, retryAt - this.params.serverTime.nowServerMs()) : undefined
    const mapped = mapBinanceError(code, message, {
      venue: this.venue,
      endpoint: `WS ${waiting.request.method}`,
      httpStatus,
      safeToRetry: waiting.request.retry === 'safe',
      retryAfterMs,
      order: waiting.request.order,
    })
    if (mapped instanceof RateLimitedError) this.params.rateLimiter.onRateLimited(mapped.retryAfterMs)
    waiting.reject(mapped)
  }

  private applyRateLimits(entries: readonly unknown[]): void {
    for (const entry of entries) {
      if (entry === null || typeof entry !== 'object') continue
      const { rateLimitType, interval, intervalNum, count } = entry as Record<string, unknown>
      const kind = LIMIT_KIND[String(rateLimitType)]
      const unitMs = INTERVAL_MS[String(interval)]
      if (kind === undefined || unitMs === undefined || typeof intervalNum !== 'number' || typeof count !== 'number')
        continue
      this.params.rateLimiter.onServerCount(kind, unitMs * intervalNum, count)
    }
  }

  private onHealth(event: ConnectionHealthEvent): void {
    if (event.kind === 'close' || event.kind === 'stale') this.failPending(`connection ${event.kind}`)
  }

  private failPending(reason: string): void {
    const waiting = [...this.pending.values()]
    this.pending.clear()
    for (const p of waiting) {
      p.timer.cancel()
      p.reject(this.lostAnswer(p.request, reason))
    }
  }

  /** The answer will never come: unknown outcome for writes, retryable for safe requests. */
  private lostAnswer(request: BinanceWsApiRequest, reason: string, timeoutMs?: number): ConnectorError {
    const endpoint = `WS ${request.method}`
    if (request.retry === 'never' && timeoutMs !== undefined)
      return new RequestTimeoutError({ venue: this.venue, endpoint, timeoutMs })
    return new VenueUnavailableError({
      venue: this.venue,
      venueMessage: reason,
      endpoint,
      retryable: request.retry === 'safe',
    })
  }

  private malformed(field: string, reason: string): void {
    this.socket.emit('health', {
      kind: 'error',
      connection: this.socket.name,
      tsMs: this.params.clock.nowMs(),
      error: new MalformedFrameError({ venue: this.venue, field: `ws-api ${field}`, reason }),
    })
  }
}
