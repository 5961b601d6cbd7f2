import { EventEmitter } from 'eventemitter3'
import type { Clock } from '../../common/clock.js'
import type { ReconciliationSnapshot } from '../../common/privateStream.js'
import { ReconnectingSocket } from '../../common/reconnectingSocket.js'
import type { Fill, Position } from '../../common/types/account.js'
import type { Order } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import type { GrvtExecutionClient } from '../execution.js'
import type { GrvtHttpClient } from '../http/client.js'
import { parseGrvtFill } from '../parse/parseFill.js'
import { parseGrvtOrder } from '../parse/parseOrder.js'
import { parseGrvtPosition } from '../parse/parsePosition.js'
import { readGrvtObject } from '../parse/readGrvtField.js'

export type GrvtPrivateStreamEvents = {
  order: (order: Order) => void
  fill: (fill: Fill) => void
  position: (position: Position) => void
  ready: (connectionCount: number) => void
  /** After each (re)connection, once subscribed: open orders, positions and balances re-read over REST. */
  reconciled: (snapshot: ReconciliationSnapshot) => void
  malformed: (error: MalformedFrameError) => void
  error: (error: unknown) => void
}

/**
 * GRVT private streams (`v1.order`, `v1.fill`, `v1.position`, selector = sub-account id) on the trading JSON-RPC
 * WebSocket (a ReconnectingSocket). The upgrade request carries the session cookie and `X-Grvt-Account-Id`, read for
 * every (re)connection, so a refused session (code 1000) is followed by a new login and a reconnect. Updates sent
 * while disconnected are not replayed by GRVT: after every (re)connection, once the three subscriptions are
 * acknowledged (`ready`), open orders, positions and balances are re-read over REST and emitted as `reconciled`
 * (what changed while the socket was down is in that snapshot). A failed re-read is reported (`error`) and forces a
 * reconnect, which reconciles again. `start()` resolves after the first reconciliation.
 */
export class GrvtPrivateStream extends EventEmitter<GrvtPrivateStreamEvents> {
  private socket: ReconnectingSocket | undefined
  private acks = 0
  private framesReceived = 0
  private malformedFrames = 0
  private ignoredFrames = 0
  connectionCount = 0

  constructor(
    private readonly p: {
      wsUrl: string
      http: GrvtHttpClient
      subAccountId: string
      /** Re-reads the REST state after each (re)connection. */
      execution: Pick<GrvtExecutionClient, 'getOpenOrders' | 'getPositions' | 'getBalances'>
      clock: Clock
      random: () => number
    },
  ) {
    super()
  }

  /** Connects and subscribes; resolves after the first reconciliation. */
  start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.once('reconciled', () => resolve()))
    if (this.socket) return ready
    const socket = new ReconnectingSocket({
      name: 'grvt/private',
      venue: 'grvt',
      url: this.p.wsUrl,
      // A fresh login when the previous session was invalidated; asked again on every (re)connection.
      headers: async () => {
        const session = await this.p.http.getSession()
        return { cookie: session.cookie, 'x-grvt-account-id': session.accountId }
      },
      clock: this.p.clock,
      random: this.p.random,
      backoff: { baseMs: 100, maxMs: 5_000 },
      onConnected: (s) => {
        this.acks = 0
        this.connectionCount++
        let id = 1
        for (const stream of ['v1.order', 'v1.fill', 'v1.position'])
          s.send(
            JSON.stringify({
              jsonrpc: '2.0',
              method: 'subscribe',
              params: { stream, selectors: [this.p.subAccountId] },
              id: id++,
            }),
          )
      },
    })
    this.socket = socket
    socket.on('message', (text) => this.onMessage(socket, text))
    socket.on('health', (event) => {
      if (event.kind === 'error') this.emit('error', event.error)
    })
    void socket.start()
    return ready
  }

  stop(): void {
    this.socket?.stop()
    this.socket = undefined
  }

  /** Frames received, dropped as malformed (each also emitted as `malformed`), and ignored (acks, other streams). */
  metrics(): { framesReceived: number; malformedFrames: number; ignoredFrames: number } {
    return {
      framesReceived: this.framesReceived,
      malformedFrames: this.malformedFrames,
      ignoredFrames: this.ignoredFrames,
    }
  }

  /** What `JSON.stringify` shows: no session cookie, no key. */
  toJSON(): Record<string, unknown> {
    return { kind: 'GrvtPrivateStream', wsUrl: this.p.wsUrl, connectionCount: this.connectionCount, ...this.metrics() }
  }

  /**
   * One frame: parsed and validated first (any failure → a counted `MalformedFrameError` on `malformed`, never thrown),
   * then emitted. Listener exceptions are not frame errors and are not caught here.
   */
  private onMessage(socket: ReconnectingSocket, text: string): void {
    this.framesReceived++
    let parsed: ParsedFrame
    try {
      parsed = parsePrivateFrame(text)
    } catch (error) {
      this.malformedFrames++
      this.emit(
        'malformed',
        error instanceof MalformedFrameError
          ? error
          : new MalformedFrameError({ venue: 'grvt', field: '<frame>', reason: 'could not be read', cause: error }),
      )
      return
    }
    switch (parsed.kind) {
      case 'ack':
        this.ignoredFrames++
        this.onAck(socket, parsed.error)
        return
      case 'ignored':
        this.ignoredFrames++
        return
      case 'order':
        this.emit('order', parsed.order)
        return
      case 'fill':
        this.emit('fill', parsed.fill)
        return
      case 'position':
        this.emit('position', parsed.position)
        return
    }
  }

  private onAck(socket: ReconnectingSocket, error: unknown): void {
    if (error !== undefined) {
      this.emit('error', error)
      if ((error as { code?: unknown } | null)?.code === 1000) {
        // the session expired: log in again and reconnect with the new cookie
        this.p.http.invalidateSession()
        socket.reconnectNow('session expired')
      }
    } else if (++this.acks === 3) {
      this.emit('ready', this.connectionCount)
      void this.reconcile(socket, this.connectionCount)
    }
  }

  /** Re-reads open orders, positions and balances; a snapshot of a connection that was replaced meanwhile is dropped. */
  private async reconcile(socket: ReconnectingSocket, connection: number): Promise<void> {
    let snapshot: ReconciliationSnapshot
    try {
      const [openOrders, positions, balances] = await Promise.all([
        this.p.execution.getOpenOrders(),
        this.p.execution.getPositions(),
        this.p.execution.getBalances(),
      ])
      snapshot = { openOrders, positions, balances }
    } catch (error) {
      this.emit('error', error)
      // a newer connection reconciles by itself; the current one is restarted so that it reconciles again
      if (connection === this.connectionCount && this.socket === socket) socket.reconnectNow('reconciliation failed')
      return
    }
    if (connection !== this.connectionCount || this.socket !== socket) return
    this.emit('reconciled', snapshot)
  }
}

type ParsedFrame =
  | { kind: 'ack'; error: unknown }
  | { kind: 'ignored' }
  | { kind: 'order'; order: Order }
  | { kind: 'fill'; fill: Fill }
  | { kind: 'position'; position: Position }

/** Parses one private-stream frame; throws `MalformedFrameError` (or an error the caller wraps in one). */
function parsePrivateFrame(text: string): ParsedFrame {
  let frame: unknown
  try {
    frame = JSON.parse(text)
  } catch (error) {
    throw new MalformedFrameError({ venue: 'grvt', field: '<frame>', reason: 'is not valid JSON', cause: error })
  }
  const o = readGrvtObject(frame, '<frame>')
  if ('id' in o) return { kind: 'ack', error: o.error }
  const f = o.params !== undefined ? readGrvtObject(o.params, 'params') : o
  if (f.stream !== 'v1.order' && f.stream !== 'v1.fill' && f.stream !== 'v1.position') return { kind: 'ignored' }
  if (f.stream === 'v1.order') return { kind: 'order', order: parseGrvtOrder(readGrvtObject(f.feed, 'feed')) }
  if (f.stream === 'v1.fill') return { kind: 'fill', fill: parseGrvtFill(f.feed) }
  return { kind: 'position', position: parseGrvtPosition(f.feed) }
}
