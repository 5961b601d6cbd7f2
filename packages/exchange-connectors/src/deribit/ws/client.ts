import { EventEmitter } from 'eventemitter3'
import type { Clock, TimerHandle } from '../../common/clock.js'
import { sleepOn } from '../../common/clock.js'
import { ReconnectingSocket } from '../../common/reconnectingSocket.js'
import type { ConnectionHealthEvent } from '../../common/types/health.js'
import type { ConnectorError } from '../../errors/base.js'
import { DeribitAuthError, DeribitNotConnectedError, DeribitRequestTimeoutError } from '../../errors/deribit.js'
import { MalformedFrameError } from '../../errors/transport.js'
import {
  createDeribitCredentials,
  type DeribitApiCredentials,
  type DeribitCredentials,
  signDeribitWsAuth,
} from '../credentials.js'
import type { DeribitCreditLimiter } from '../creditLimiter.js'
import { mapDeribitError } from './mapDeribitError.js'

export type DeribitRpcClientParameters = {
  /** e.g. `wss://www.deribit.com/ws/api/v2`. */
  url: string
  clock: Clock
  random: () => number
  /**
   * Omit for a public-only connection. Validated at construction (`DeribitInvalidCredentialsError`) and copied into a
   * `#private` field: the client never prints the secret (nor the tokens it gets).
   */
  credentials?: DeribitCredentials | undefined
  /** Nonce source for `client_signature` (deterministic in tests). */
  nonce: () => string
  /** Default 10 000. */
  requestTimeoutMs?: number | undefined
  /** `public/set_heartbeat` interval (s, ≥ 10); the client answers each `test_request` with `public/test`. Default 10. */
  heartbeatIntervalSec?: number | undefined
  /** Refresh the access token when this share of its lifetime has passed. Default 0.8. */
  refreshAtFraction?: number | undefined
  /** Enable cancel-on-disconnect (`connection` scope) after every (re)authentication. Default false. */
  cancelOnDisconnect?: boolean | undefined
  /** Local credit bucket (shared by every connection of the sub-account). */
  creditLimiter?: DeribitCreditLimiter | undefined
  /** Credit cost of a request. Default 500. */
  requestCost?: number | undefined
  name?: string | undefined
}

export type DeribitRpcClientEvents = {
  /** A `subscription` notification. */
  notification: (channel: string, data: unknown, receivedAtNs: bigint) => void
  /** After every (re)connection, once auth and resubscription are done (book owners reset here). */
  ready: (connectionCount: number) => void
  /**
   * The connection's health: `close` (socket gone; every unanswered request has been rejected), `reconnecting`,
   * `open` (re-authenticated and resubscribed: requests go out again), `stale`, `error`. A refused login (13004) gives
   * a `close` and an `error` carrying the `DeribitAuthError`, and the client stops for good (no reconnect).
   */
  health: (event: ConnectionHealthEvent) => void
  /** A frame that could not be parsed; it was dropped. */
  malformed: (error: MalformedFrameError) => void
}

/** An answer's result and when the venue received the request (`usIn`, µs → ms; undefined when the frame has none). */
type RpcAnswer = { readonly result: unknown; readonly venueTimeMs: number | undefined }

type Pending = {
  method: string
  resolve: (answer: RpcAnswer) => void
  reject: (error: ConnectorError) => void
  timer: TimerHandle
  context: { clientOrderId: string; price: string } | undefined
}

/**
 * Deribit JSON-RPC 2.0 over one reconnecting WebSocket: request/response by id with timeouts, notifications,
 * `client_signature` authentication with token refresh before expiry (`refresh_token` grant) and re-authentication on
 * 13009, `public/set_heartbeat` answered with `public/test`, cancel-on-disconnect, credit-based throttling, and
 * resubscription of every channel after a reconnect.
 *
 * Requests go out only while the connection is ready (open, authenticated, resubscribed): otherwise they fail at once
 * with `DeribitNotConnectedError` (definite: not sent). A request in flight when the socket closes is rejected with
 * `DeribitRequestTimeoutError` (`reason: 'closed'`, outcome unknown). A login refused with 13004 stops the client and
 * rejects `start()` with the `DeribitAuthError`. The secret and the refresh token are `#private` fields; `toJSON` shows
 * the connection state only.
 */
export class DeribitRpcClient extends EventEmitter<DeribitRpcClientEvents> {
  readonly socket: ReconnectingSocket
  private readonly p: Omit<DeribitRpcClientParameters, 'credentials'>
  readonly #credentials: DeribitApiCredentials | undefined
  #refreshToken: string | undefined
  private readonly pending = new Map<number, Pending>()
  private readonly publicChannels = new Set<string>()
  private readonly privateChannels = new Set<string>()
  private nextId = 1
  private refreshTimer: TimerHandle | undefined
  private authenticated = false
  /** Open, authenticated (with credentials) and resubscribed on the current socket. */
  private ready = false
  private closed = false
  /** A refused login (13004): the client stopped. */
  private fatal: ConnectorError | undefined
  private readonly startWaiters = new Set<(error: ConnectorError) => void>()

  constructor(parameters: DeribitRpcClientParameters) {
    super()
    const { credentials, ...rest } = parameters
    this.#credentials = credentials === undefined ? undefined : createDeribitCredentials(credentials)
    this.p = rest
    this.socket = new ReconnectingSocket({
      name: parameters.name ?? 'deribit',
      venue: 'deribit',
      url: parameters.url,
      clock: parameters.clock,
      random: parameters.random,
      // the venue sends a heartbeat test_request every interval: three silent intervals mean a dead connection
      staleAfterMs: (parameters.heartbeatIntervalSec ?? 10) * 3_000,
      onConnected: () => this.onConnected(),
    })
    this.socket.on('message', (text, _ms, ns) => this.onMessage(text, ns))
    this.socket.on('health', (event) => {
      if (event.kind === 'close') this.onClose()
      this.emit('health', event)
    })
  }

  /** The injected clock (shared with the clients built on this connection). */
  get clock(): Clock {
    return this.p.clock
  }

  get isAuthenticated(): boolean {
    return this.authenticated
  }

  /** True when requests can go out: the socket is open, authenticated (with credentials) and resubscribed. */
  get isReady(): boolean {
    return this.ready && this.socket.isOpen
  }

  /** The connection's name in health events and errors (`deribit/trading`). */
  get name(): string {
    return this.socket.name
  }

  /**
   * Connects (and authenticates, when credentials were given); resolves once the connection is ready.
   * @throws DeribitAuthError (13004) when the venue refuses the credentials: the client stops.
   */
  start(): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal)
    if (this.closed)
      return Promise.reject(
        new DeribitNotConnectedError({ method: 'start', connection: this.socket.name, reason: 'closed for good' }),
      )
    return new Promise<void>((resolve, reject) => {
      this.startWaiters.add(reject)
      this.socket.start().then(() => {
        this.startWaiters.delete(reject)
        resolve()
      }, reject)
    })
  }

  /**
   * Resolves `true` once the connection is ready again (at once when it is), `false` after `timeoutMs` or when the
   * client has stopped.
   */
  waitReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true)
    if (this.closed || this.fatal) return Promise.resolve(false)
    return new Promise<boolean>((resolve) => {
      const finish = (ready: boolean) => {
        timer.cancel()
        this.off('health', onHealth)
        resolve(ready)
      }
      const onHealth = (event: ConnectionHealthEvent) => {
        if (event.kind === 'open') finish(true)
        else if (this.closed || this.fatal) finish(false)
      }
      const timer = this.p.clock.setTimeout(() => finish(false), timeoutMs)
      this.on('health', onHealth)
    })
  }

  /** Connection state only: never credentials or tokens. */
  toJSON(): { name: string; ready: boolean; authenticated: boolean; closed: boolean } {
    return { name: this.socket.name, ready: this.isReady, authenticated: this.authenticated, closed: this.closed }
  }

  /**
   * Sends one JSON-RPC request. Rejects with a typed venue error (`mapDeribitError`), `DeribitNotConnectedError` when
   * the connection is not ready (not sent), or `DeribitRequestTimeoutError` when it got no answer (timeout, or the
   * socket closed while it was in flight: outcome unknown).
   */
  async request(
    method: string,
    params: Record<string, unknown> = {},
    context?: { clientOrderId: string; price: string },
  ): Promise<unknown> {
    return (await this.requestWithVenueTime(method, params, context)).result
  }

  /**
   * `request`, with the venue's time of the answer: the envelope's `usIn` (when Deribit received the request, µs) in
   * ms, on the venue's clock as its trades' and orders' timestamps — the time of a snapshot that carries none of its own
   * (`private/get_positions`). `venueTimeMs` is undefined when the frame has no valid `usIn`.
   */
  async requestWithVenueTime(
    method: string,
    params: Record<string, unknown> = {},
    context?: { clientOrderId: string; price: string },
  ): Promise<RpcAnswer> {
    try {
      return await this.exchange(method, params, context)
    } catch (error) {
      if (error instanceof DeribitAuthError && error.venueCode === 13009 && method.startsWith('private/')) {
        // token expired between refreshes: authenticate again and resend once
        await this.authenticate()
        return this.exchange(method, params, context)
      }
      throw error
    }
  }

  /** Subscribes and remembers the channels for resubscription after reconnects. */
  async subscribe(channels: readonly string[]): Promise<void> {
    const pub = channels.filter((c) => !c.startsWith('user.'))
    const priv = channels.filter((c) => c.startsWith('user.'))
    for (const c of pub) this.publicChannels.add(c)
    for (const c of priv) this.privateChannels.add(c)
    if (pub.length > 0) await this.request('public/subscribe', { channels: pub })
    if (priv.length > 0) await this.request('private/subscribe', { channels: priv })
  }

  async unsubscribe(channels: readonly string[]): Promise<void> {
    const pub = channels.filter((c) => this.publicChannels.delete(c))
    const priv = channels.filter((c) => this.privateChannels.delete(c))
    if (pub.length > 0) await this.request('public/unsubscribe', { channels: pub })
    if (priv.length > 0) await this.request('private/unsubscribe', { channels: priv })
  }

  /** Authenticates with `client_signature` (HMAC over `timestamp\nnonce\n`); schedules the refresh. */
  async authenticate(): Promise<void> {
    await this.login(false)
  }

  private async login(handshake: boolean): Promise<void> {
    const credentials = this.#credentials
    if (!credentials) return
    const params = signDeribitWsAuth(credentials, this.p.clock.nowMs(), this.p.nonce())
    const result = await this.send('public/auth', params, undefined, handshake)
    this.onToken(result)
  }

  close(): void {
    this.closed = true
    this.refreshTimer?.cancel()
    this.socket.stop()
    this.onClose()
  }

  private onToken(result: unknown): void {
    const o = result as { expires_in?: unknown; refresh_token?: unknown } | null
    if (
      o === null ||
      typeof o !== 'object' ||
      typeof o.refresh_token !== 'string' ||
      typeof o.expires_in !== 'number' ||
      !Number.isFinite(o.expires_in) ||
      o.expires_in <= 0
    )
      throw new MalformedFrameError({ venue: 'deribit', field: 'result', reason: 'of public/auth lacks a token' })
    this.authenticated = true
    this.#refreshToken = o.refresh_token
    this.refreshTimer?.cancel()
    const delayMs = Math.max(1_000, Math.floor(o.expires_in * 1000 * (this.p.refreshAtFraction ?? 0.8)))
    this.refreshTimer = this.p.clock.setTimeout(() => {
      void this.refresh()
    }, delayMs)
  }

  private async refresh(): Promise<void> {
    if (this.closed || !this.isReady || this.#refreshToken === undefined) return
    try {
      const result = await this.send('public/auth', { grant_type: 'refresh_token', refresh_token: this.#refreshToken })
      this.onToken(result)
    } catch (error) {
      this.emit('health', {
        kind: 'error',
        connection: this.socket.name,
        tsMs: this.p.clock.nowMs(),
        error: error as Error,
      })
      // the refresh token was refused: a fresh signature login replaces it
      await this.authenticate().catch((e: unknown) =>
        this.emit('health', {
          kind: 'error',
          connection: this.socket.name,
          tsMs: this.p.clock.nowMs(),
          error: e as Error,
        }),
      )
    }
  }

  private async onConnected(): Promise<void> {
    this.authenticated = false
    this.ready = false
    if (this.#credentials) {
      try {
        await this.login(true)
      } catch (error) {
        // a refused key pair (13004) will be refused again: stop instead of reconnecting in a loop
        if (error instanceof DeribitAuthError && error.venueCode === 13004) this.stopOnFatal(error)
        throw error
      }
    }
    const interval = this.p.heartbeatIntervalSec ?? 10
    await this.send('public/set_heartbeat', { interval }, undefined, true)
    if (this.#credentials && this.p.cancelOnDisconnect)
      await this.send('private/enable_cancel_on_disconnect', { scope: 'connection' }, undefined, true)
    if (this.publicChannels.size > 0)
      await this.send('public/subscribe', { channels: [...this.publicChannels] }, undefined, true)
    if (this.privateChannels.size > 0)
      await this.send('private/subscribe', { channels: [...this.privateChannels] }, undefined, true)
    this.ready = true
    this.emit('ready', this.socket.connectionCount)
  }

  private stopOnFatal(error: ConnectorError): void {
    this.fatal = error
    for (const reject of this.startWaiters) reject(error)
    this.startWaiters.clear()
    this.close()
  }

  /**
   * Writes one request. `handshake` requests (login, heartbeat, cancel-on-disconnect, resubscription) go out on an open
   * socket before it is ready; every other request needs a ready connection, else `DeribitNotConnectedError`.
   */
  private async send(
    method: string,
    params: Record<string, unknown>,
    context?: { clientOrderId: string; price: string },
    handshake = false,
  ): Promise<unknown> {
    return (await this.exchange(method, params, context, handshake)).result
  }

  /** `send`, with the answer's venue time. */
  private async exchange(
    method: string,
    params: Record<string, unknown>,
    context?: { clientOrderId: string; price: string },
    handshake = false,
  ): Promise<RpcAnswer> {
    this.assertCanSend(method, handshake)
    const limiter = this.p.creditLimiter
    if (limiter) {
      const cost = this.p.requestCost ?? 500
      for (let wait = limiter.reserve(cost); wait > 0; wait = limiter.reserve(cost)) await sleepOn(this.p.clock, wait)
      this.assertCanSend(method, handshake)
    }
    const id = this.nextId++
    const timeoutMs = this.p.requestTimeoutMs ?? 10_000
    return new Promise<RpcAnswer>((resolve, reject) => {
      const timer = this.p.clock.setTimeout(() => {
        if (this.pending.delete(id)) reject(new DeribitRequestTimeoutError({ method, timeoutMs, reason: 'timeout' }))
      }, timeoutMs)
      this.pending.set(id, { method, resolve, reject, timer, context })
      try {
        this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
      } catch (error) {
        // the socket refused the frame before writing it: the venue never saw the request
        this.pending.delete(id)
        timer.cancel()
        reject(new DeribitNotConnectedError({ method, connection: this.socket.name, reason: 'closed', cause: error }))
      }
    })
  }

  private assertCanSend(method: string, handshake: boolean): void {
    if (this.fatal)
      throw new DeribitNotConnectedError({
        method,
        connection: this.socket.name,
        reason: 'stopped (the venue refused the credentials)',
        cause: this.fatal,
      })
    if (this.closed) throw new DeribitNotConnectedError({ method, connection: this.socket.name, reason: 'closed' })
    if (!this.socket.isOpen)
      throw new DeribitNotConnectedError({ method, connection: this.socket.name, reason: 'down (reconnecting)' })
    if (!handshake && !this.ready)
      throw new DeribitNotConnectedError({
        method,
        connection: this.socket.name,
        reason: 'reconnected but not yet authenticated and resubscribed',
      })
  }

  private onClose(): void {
    this.authenticated = false
    this.ready = false
    this.refreshTimer?.cancel()
    for (const [id, p] of this.pending) {
      this.pending.delete(id)
      p.timer.cancel()
      p.reject(new DeribitRequestTimeoutError({ method: p.method, timeoutMs: 0, reason: 'closed' }))
    }
  }

  private onMessage(text: string, receivedAtNs: bigint): void {
    let frame: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new MalformedFrameError({ venue: 'deribit', field: '<frame>', reason: 'is not an object' })
      frame = parsed as Record<string, unknown>
    } catch (error) {
      this.emit(
        'malformed',
        error instanceof MalformedFrameError
          ? error
          : new MalformedFrameError({ venue: 'deribit', field: '<frame>', reason: 'is not valid JSON', cause: error }),
      )
      return
    }
    if (typeof frame.id === 'number') {
      const pending = this.pending.get(frame.id)
      if (!pending) {
        this.emit(
          'malformed',
          new MalformedFrameError({
            venue: 'deribit',
            field: 'id',
            reason: 'answers no pending request (a late answer after a timeout, or an unknown id)',
          }),
        )
        return
      }
      this.pending.delete(frame.id)
      pending.timer.cancel()
      const error = frame.error as { code?: unknown; message?: unknown } | null | undefined
      if (error !== undefined) {
        // an answer that is neither a result nor a well-formed error says nothing definite: malformed
        if (error === null || typeof error !== 'object' || typeof error.code !== 'number')
          pending.reject(
            new MalformedFrameError({ venue: 'deribit', field: 'error', reason: `of ${pending.method} is malformed` }),
          )
        else
          pending.reject(
            mapDeribitError(pending.method, { code: error.code, message: String(error.message) }, pending.context),
          )
      } else if (!('result' in frame))
        pending.reject(
          new MalformedFrameError({
            venue: 'deribit',
            field: 'result',
            reason: `of ${pending.method} is missing (no result, no error)`,
          }),
        )
      else {
        const usIn = frame.usIn
        const venueTimeMs =
          typeof usIn === 'number' && Number.isSafeInteger(usIn) && usIn > 0 ? Math.floor(usIn / 1000) : undefined
        pending.resolve({ result: frame.result, venueTimeMs })
      }
      return
    }
    const method = frame.method
    const params = frame.params as Record<string, unknown> | undefined
    if (method === 'heartbeat') {
      if (params?.type === 'test_request')
        this.send('public/test', {}, undefined, true).catch((error: unknown) =>
          this.emit('health', {
            kind: 'error',
            connection: this.socket.name,
            tsMs: this.p.clock.nowMs(),
            error: error as Error,
          }),
        )
      return
    }
    if (method === 'subscription' && params && typeof params.channel === 'string') {
      this.emit('notification', params.channel, params.data, receivedAtNs)
      return
    }
    this.emit(
      'malformed',
      new MalformedFrameError({ venue: 'deribit', field: 'method', reason: 'is not a known notification' }),
    )
  }
}
