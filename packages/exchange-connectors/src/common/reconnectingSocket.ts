import { EventEmitter } from 'eventemitter3'
import WebSocket from 'ws'
import { ConnectionClosedError } from '../errors/transport.js'
import { type BackoffPolicy, computeBackoffMs } from './backoff.js'
import type { Clock, TimerHandle } from './clock.js'
import type { ConnectionHealthEvent } from './types/health.js'

export type ReconnectingSocketParameters = {
  /** Name used in health events and errors, e.g. `binance-usdm/public`. */
  name: string
  venue: string
  /** URL, or a function giving the URL for each (re)connection (e.g. a fresh listenKey). */
  url: string | (() => string | Promise<string>)
  /**
   * HTTP headers of the upgrade request (e.g. a session cookie), or a function giving them for each (re)connection
   * (a refreshed session). Never logged.
   */
  headers?:
    | Readonly<Record<string, string>>
    | (() => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>)
  clock: Clock
  /** Uniform [0, 1) source for backoff jitter (inject a seeded one in tests). */
  random: () => number
  backoff?: BackoffPolicy
  /** Client ping interval (the server must answer with a pong). Default 30 s. */
  heartbeatIntervalMs?: number
  /** No frame and no pong for this long → the socket is declared stale and replaced. Default 60 s. */
  staleAfterMs?: number
  /**
   * Proactive reconnect age. Binance closes every connection at 24 h; we replace it earlier at a time we choose.
   * Default 23 h 30 min.
   */
  maxConnectionAgeMs?: number
  /** Called after every successful (re)connection, before `open` is emitted: resubscribe here. */
  onConnected?: (socket: ReconnectingSocket) => void | Promise<void>
  /**
   * Client-frame masking key. `random` (default): a fresh key per frame, as browsers must. `zero`: the all-zero key,
   * which RFC 6455 allows and which lets `ws` skip the masking pass over the payload; masking only protects shared
   * HTTP proxies from cache poisoning by hostile browser scripts, which does not apply to a trading client over TLS.
   * Used on the order-entry socket (latency).
   */
  maskingKey?: 'random' | 'zero'
}

const zeroMask = (mask: Buffer): void => {
  mask.fill(0)
}

export type ReconnectingSocketEvents = {
  /** A text frame. */
  /** A text frame, stamped on arrival (`receivedAtNs` from `clock.monotonicNs()`). */
  message: (text: string, receivedAtMs: number, receivedAtNs: bigint) => void
  health: (event: ConnectionHealthEvent) => void
}

/**
 * WebSocket manager: heartbeats (client pings + staleness watchdog; server pings are answered by `ws`), reconnect
 * with jittered exponential backoff, a resubscription hook, and a proactive reconnect before the venue's 24 h limit.
 * It never throws from socket callbacks: failures become `health` events and a reconnect.
 */
export class ReconnectingSocket extends EventEmitter<ReconnectingSocketEvents> {
  readonly name: string
  private readonly params: ReconnectingSocketParameters
  #socket: WebSocket | undefined
  private stopped = true
  private attempt = 0
  private connectedAtMs = 0
  private lastSeenMs = 0
  private heartbeatTimer: TimerHandle | undefined
  private ageTimer: TimerHandle | undefined
  private reconnectTimer: TimerHandle | undefined
  private openWaiters: (() => void)[] = []
  private ready = false
  /** Number of connections opened so far (1 after the first connect). */
  connectionCount = 0

  constructor(parameters: ReconnectingSocketParameters) {
    super()
    this.name = parameters.name
    this.params = parameters
  }

  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN
  }

  /** Starts connecting; resolves when the first connection is open (after `onConnected`). */
  start(): Promise<void> {
    if (!this.stopped) return this.waitOpen()
    this.stopped = false
    void this.connect()
    return this.waitOpen()
  }

  /** True when open AND the `onConnected` hook (resubscription) has completed. */
  get isReady(): boolean {
    return this.ready && this.isOpen
  }

  /** Resolves at the next `open` health event (immediately when ready). */
  waitOpen(): Promise<void> {
    if (this.isReady) return Promise.resolve()
    return new Promise((resolve) => this.openWaiters.push(resolve))
  }

  /** Sends a text frame; throws `ConnectionClosedError` when not open. */
  send(text: string): void {
    const socket = this.#socket
    if (!socket || socket.readyState !== WebSocket.OPEN)
      throw new ConnectionClosedError({ venue: this.params.venue, url: this.name, reason: 'not open' })
    socket.send(text)
  }

  /** Drops the current connection and reconnects now (attempt counter reset). */
  reconnectNow(reason: string): void {
    if (this.stopped) return
    this.attempt = 0
    this.dropSocket(4000, reason)
    this.scheduleReconnect(0)
  }

  /** Closes for good. */
  stop(): void {
    this.stopped = true
    this.clearTimers()
    this.reconnectTimer?.cancel()
    this.dropSocket(1000, 'client stop')
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    let url: string
    let headers: Readonly<Record<string, string>> | undefined
    try {
      url = typeof this.params.url === 'string' ? this.params.url : await this.params.url()
      headers = typeof this.params.headers === 'function' ? await this.params.headers() : this.params.headers
    } catch (error) {
      this.emitHealth({ kind: 'error', connection: this.name, tsMs: this.params.clock.nowMs(), error: asError(error) })
      this.scheduleReconnect()
      return
    }
    if (this.stopped) return
    let socket: WebSocket
    try {
      socket = new WebSocket(url, {
        perMessageDeflate: false,
        ...(headers ? { headers: { ...headers } } : {}),
        ...(this.params.maskingKey === 'zero' ? { generateMask: zeroMask } : {}),
      })
    } catch (error) {
      // an unusable URL: ws's message quotes the URL, which can carry a credential (a listenKey), so it is not kept
      this.emitHealth({
        kind: 'error',
        connection: this.name,
        tsMs: this.params.clock.nowMs(),
        error: new ConnectionClosedError({
          venue: this.params.venue,
          url: this.name,
          reason: `the WebSocket URL was refused (${error instanceof Error ? error.name : 'error'}); check the configured URL`,
        }),
      })
      this.scheduleReconnect()
      return
    }
    this.#socket = socket
    socket.on('open', () => {
      if (socket !== this.#socket) return
      this.connectedAtMs = this.params.clock.nowMs()
      this.lastSeenMs = this.connectedAtMs
      this.connectionCount++
      this.armHeartbeat()
      this.ageTimer = this.params.clock.setTimeout(
        () => this.reconnectNow('proactive reconnect before the venue connection age limit'),
        this.params.maxConnectionAgeMs ?? 23.5 * 3_600_000,
      )
      void this.afterOpen(socket)
    })
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (socket !== this.#socket) return
      const receivedAtNs = this.params.clock.monotonicNs()
      const now = this.params.clock.nowMs()
      this.lastSeenMs = now
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString()
      this.emit('message', text, now, receivedAtNs)
    })
    socket.on('pong', () => {
      if (socket === this.#socket) this.lastSeenMs = this.params.clock.nowMs()
    })
    socket.on('ping', () => {
      if (socket === this.#socket) this.lastSeenMs = this.params.clock.nowMs()
    })
    socket.on('error', (error: Error) => {
      if (socket !== this.#socket) return
      this.emitHealth({ kind: 'error', connection: this.name, tsMs: this.params.clock.nowMs(), error })
    })
    socket.on('close', (code: number, reason: Buffer) => {
      if (socket !== this.#socket) return
      this.#socket = undefined
      this.ready = false
      this.clearTimers()
      this.emitHealth({
        kind: 'close',
        connection: this.name,
        tsMs: this.params.clock.nowMs(),
        code,
        reason: reason.toString(),
      })
      if (!this.stopped) this.scheduleReconnect()
    })
  }

  private async afterOpen(socket: WebSocket): Promise<void> {
    try {
      await this.params.onConnected?.(this)
    } catch (error) {
      this.emitHealth({ kind: 'error', connection: this.name, tsMs: this.params.clock.nowMs(), error: asError(error) })
      if (socket === this.#socket) this.reconnectNow('resubscription failed')
      return
    }
    if (socket !== this.#socket) return
    this.attempt = 0
    this.ready = true
    this.emitHealth({ kind: 'open', connection: this.name, tsMs: this.params.clock.nowMs() })
    const waiters = this.openWaiters
    this.openWaiters = []
    for (const w of waiters) w()
  }

  private armHeartbeat(): void {
    const interval = this.params.heartbeatIntervalMs ?? 30_000
    const staleAfter = this.params.staleAfterMs ?? 60_000
    const tick = () => {
      const socket = this.#socket
      if (!socket || socket.readyState !== WebSocket.OPEN) return
      const now = this.params.clock.nowMs()
      const silentFor = now - this.lastSeenMs
      if (silentFor >= staleAfter) {
        this.emitHealth({ kind: 'stale', connection: this.name, tsMs: now, silentForMs: silentFor })
        this.dropSocket(4001, 'stale')
        this.scheduleReconnect()
        return
      }
      socket.ping()
      this.heartbeatTimer = this.params.clock.setTimeout(tick, Math.min(interval, staleAfter - silentFor))
    }
    this.heartbeatTimer = this.params.clock.setTimeout(tick, Math.min(interval, staleAfter))
  }

  private scheduleReconnect(delayOverrideMs?: number): void {
    if (this.stopped) return
    this.reconnectTimer?.cancel()
    const delayMs =
      delayOverrideMs ??
      computeBackoffMs(this.attempt, this.params.backoff ?? { baseMs: 250, maxMs: 30_000 }, this.params.random)
    this.attempt++
    this.emitHealth({
      kind: 'reconnecting',
      connection: this.name,
      tsMs: this.params.clock.nowMs(),
      attempt: this.attempt,
      delayMs,
    })
    this.reconnectTimer = this.params.clock.setTimeout(() => void this.connect(), delayMs)
  }

  private dropSocket(code: number, reason: string): void {
    const socket = this.#socket
    this.#socket = undefined
    this.ready = false
    this.clearTimers()
    if (!socket) return
    socket.removeAllListeners('message')
    // keep an error listener: a late 'error' on a discarded socket must not become an unhandled exception
    socket.on('error', () => undefined)
    if (socket.readyState === WebSocket.OPEN) socket.close(code, reason)
    else socket.terminate()
    this.emitHealth({ kind: 'close', connection: this.name, tsMs: this.params.clock.nowMs(), code, reason })
  }

  private clearTimers(): void {
    this.heartbeatTimer?.cancel()
    this.ageTimer?.cancel()
    this.heartbeatTimer = undefined
    this.ageTimer = undefined
  }

  private emitHealth(event: ConnectionHealthEvent): void {
    this.emit('health', event)
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
