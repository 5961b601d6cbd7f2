import { EventEmitter } from 'eventemitter3'
import { ReconnectingSocket } from '../../common/reconnectingSocket.js'
import type { ConnectionHealthEvent } from '../../common/types/health.js'
import { MalformedFrameError } from '../../errors/transport.js'
import type { BinanceConnectorConfig } from '../config.js'

export type BinanceStreamClientEvents = {
  /** A combined-stream payload `{stream, data}` (still unvalidated `data`). */
  data: (stream: string, data: unknown, receivedAtMs: number, receivedAtNs: bigint) => void
  /** A frame that is not JSON / not a combined payload (always a `MalformedFrameError`). */
  malformed: (text: string, error: MalformedFrameError) => void
  health: (event: ConnectionHealthEvent) => void
}

/**
 * One Binance combined-stream connection (`<base>/stream?streams=a/b`). The URL is rebuilt from the current stream
 * set on every reconnect (that is the resubscription); streams added while connected are sent as a live
 * `SUBSCRIBE` (acknowledged by `{"result":null,"id":n}`).
 */
export class BinanceStreamClient extends EventEmitter<BinanceStreamClientEvents> {
  private readonly streams = new Set<string>()
  private readonly socket: ReconnectingSocket
  private started = false
  private nextId = 1
  private readonly pendingAcks = new Map<number, () => void>()

  private readonly venue: string

  constructor(
    readonly name: string,
    baseUrl: string,
    config: BinanceConnectorConfig,
    venue: string,
  ) {
    super()
    this.venue = venue
    this.socket = new ReconnectingSocket({
      name,
      venue,
      url: () => `${baseUrl}/stream?streams=${[...this.streams].join('/')}`,
      clock: config.clock,
      random: config.random,
      backoff: config.backoff,
      maxConnectionAgeMs: config.maxConnectionAgeMs,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      staleAfterMs: config.staleAfterMs,
    })
    this.socket.on('message', (text, at, atNs) => this.onMessage(text, at, atNs))
    this.socket.on('health', (event) => {
      if (event.kind === 'open') {
        // a (re)connection carries every stream in its URL: pending SUBSCRIBEs are live now
        for (const resolve of this.pendingAcks.values()) resolve()
        this.pendingAcks.clear()
      }
      this.emit('health', event)
    })
  }

  get connectionCount(): number {
    return this.socket.connectionCount
  }

  /** Adds streams; resolves when they are live (connection open, or SUBSCRIBE acknowledged). */
  async subscribe(streams: readonly string[]): Promise<void> {
    const added = streams.filter((s) => !this.streams.has(s))
    if (added.length === 0) return this.socket.waitOpen()
    for (const s of added) this.streams.add(s)
    if (!this.started) {
      this.started = true
      return this.socket.start()
    }
    if (!this.socket.isReady) return this.socket.waitOpen()
    const id = this.nextId++
    const acked = new Promise<void>((resolve) => this.pendingAcks.set(id, resolve))
    this.socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: added, id }))
    await acked
  }

  /** Forces a reconnect (tests, operator action). */
  reconnectNow(reason: string): void {
    this.socket.reconnectNow(reason)
  }

  close(): void {
    this.socket.stop()
    this.pendingAcks.clear()
  }

  private onMessage(text: string, receivedAtMs: number, receivedAtNs: bigint): void {
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch (error) {
      this.emit(
        'malformed',
        text,
        new MalformedFrameError({ venue: this.venue, field: '<frame>', reason: 'is not valid JSON', cause: error }),
      )
      return
    }
    if (message === null || typeof message !== 'object') {
      this.emit(
        'malformed',
        text,
        new MalformedFrameError({ venue: this.venue, field: '<frame>', reason: 'is not an object' }),
      )
      return
    }
    const m = message as { stream?: unknown; data?: unknown; id?: unknown; result?: unknown }
    if (typeof m.stream === 'string' && m.data !== undefined) {
      this.emit('data', m.stream, m.data, receivedAtMs, receivedAtNs)
      return
    }
    if (typeof m.id === 'number' && 'result' in m) {
      this.pendingAcks.get(m.id)?.()
      this.pendingAcks.delete(m.id)
      return
    }
    this.emit(
      'malformed',
      text,
      new MalformedFrameError({
        venue: this.venue,
        field: '<frame>',
        reason: 'is neither a combined-stream payload nor a SUBSCRIBE ack',
      }),
    )
  }
}
