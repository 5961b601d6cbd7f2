import { EventEmitter } from 'eventemitter3'
import type { Clock } from '../../common/clock.js'
import type { ReconciliationSnapshot } from '../../common/privateStream.js'
import { ReconnectingSocket } from '../../common/reconnectingSocket.js'
import type { Fill, Position } from '../../common/types/account.js'
import type { Order } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import type { GrvtExecutionClient } from '../execution.js'
import type { GrvtHttpClient } from '../http/client.js'
import { parseGrvtOrder } from '../parse/parseOrder.js'

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

  private onMessage(socket: ReconnectingSocket, text: string): void {
    let frame: Record<string, unknown>
    try {
      frame = JSON.parse(text) as Record<string, unknown>
    } catch (error) {
      this.emit(
        'malformed',
        new MalformedFrameError({ venue: 'grvt', field: '<frame>', reason: 'is not valid JSON', cause: error }),
      )
      return
    }
    if ('id' in frame) {
      const error = frame.error as { code?: unknown } | undefined
      if (error !== undefined) {
        this.emit('error', error)
        if (error?.code === 1000) {
          // the session expired: log in again and reconnect with the new cookie
          this.p.http.invalidateSession()
          socket.reconnectNow('session expired')
        }
      } else if (++this.acks === 3) {
        this.emit('ready', this.connectionCount)
        void this.reconcile(socket, this.connectionCount)
      }
      return
    }
    try {
      this.onFeed(frame)
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error
      this.emit('malformed', error)
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

  private onFeed(frame: Record<string, unknown>): void {
    const f = (frame.params && typeof frame.params === 'object' ? frame.params : frame) as Record<string, unknown>
    const feed = f.feed as Record<string, unknown> | undefined
    if (!feed || typeof feed !== 'object')
      throw new MalformedFrameError({ venue: 'grvt', field: 'feed', reason: 'is not an object' })
    if (f.stream === 'v1.order') this.emit('order', parseGrvtOrder(feed))
    else if (f.stream === 'v1.fill') {
      for (const key of ['instrument', 'size', 'price', 'fee', 'trade_id', 'order_id'])
        if (typeof feed[key] !== 'string')
          throw new MalformedFrameError({ venue: 'grvt', field: `feed.${key}`, reason: 'is not a string' })
      this.emit('fill', {
        venue: 'grvt',
        symbol: feed.instrument as string,
        orderId: feed.order_id as string,
        clientOrderId: String(feed.client_order_id ?? ''),
        tradeId: feed.trade_id as string,
        side: feed.is_buyer === true ? 'buy' : 'sell',
        price: feed.price as string,
        sizeBase: feed.size as string,
        fee: feed.fee as string,
        feeAsset: 'USDT',
        isMaker: feed.is_taker !== true,
        tsExchangeMs: Number(BigInt(String(feed.event_time ?? '0')) / 1_000_000n),
        raw: feed,
      })
    } else if (f.stream === 'v1.position') {
      if (typeof feed.instrument !== 'string' || typeof feed.size !== 'string')
        throw new MalformedFrameError({ venue: 'grvt', field: 'feed', reason: 'lacks instrument/size' })
      this.emit('position', {
        venue: 'grvt',
        symbol: feed.instrument,
        sizeBase: feed.size,
        entryPrice: String(feed.entry_price ?? '0'),
        unrealizedPnlQuote: String(feed.unrealized_pnl ?? '0'),
        tsExchangeMs: Number(BigInt(String(feed.event_time ?? '0')) / 1_000_000n),
        raw: feed,
      })
    }
  }
}
