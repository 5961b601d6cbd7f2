import { EventEmitter } from 'eventemitter3'
import WebSocket from 'ws'
import type { Clock, TimerHandle } from '../../common/clock.js'
import type { Fill, Position } from '../../common/types/account.js'
import type { Order } from '../../common/types/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import type { GrvtHttpClient } from '../http/client.js'
import { parseGrvtOrder } from '../parse/parseOrder.js'

export type GrvtPrivateStreamEvents = {
  order: (order: Order) => void
  fill: (fill: Fill) => void
  position: (position: Position) => void
  ready: (connectionCount: number) => void
  malformed: (error: MalformedFrameError) => void
  error: (error: unknown) => void
}

/**
 * GRVT private streams (`v1.order`, `v1.fill`, `v1.position`, selector = sub-account id) on the trading JSON-RPC
 * WebSocket. The upgrade request carries the session cookie and `X-Grvt-Account-Id` (so this uses `ws` directly:
 * the shared ReconnectingSocket has no header option); on close it logs in again if needed and reconnects. Updates sent
 * while disconnected are not replayed by GRVT: on every `ready` after the first, reconcile with `getOpenOrders` /
 * `getPositions`.
 */
export class GrvtPrivateStream extends EventEmitter<GrvtPrivateStreamEvents> {
  private socket: WebSocket | undefined
  private stopped = false
  private retryTimer: TimerHandle | undefined
  private attempt = 0
  connectionCount = 0

  constructor(
    private readonly p: { wsUrl: string; http: GrvtHttpClient; subAccountId: string; clock: Pick<Clock, 'setTimeout'> },
  ) {
    super()
  }

  /** Connects and subscribes; resolves once subscribed. */
  start(): Promise<void> {
    this.stopped = false
    return new Promise((resolve) => {
      this.once('ready', () => resolve())
      void this.connect()
    })
  }

  stop(): void {
    this.stopped = true
    this.retryTimer?.cancel()
    this.socket?.terminate()
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    let session: Awaited<ReturnType<GrvtHttpClient['getSession']>>
    try {
      session = await this.p.http.getSession()
    } catch (error) {
      this.emit('error', error)
      this.retry()
      return
    }
    const ws = new WebSocket(this.p.wsUrl, {
      headers: { cookie: session.cookie, 'x-grvt-account-id': session.accountId },
    })
    this.socket = ws
    ws.on('open', () => {
      this.attempt = 0
      this.connectionCount++
      let id = 1
      for (const stream of ['v1.order', 'v1.fill', 'v1.position'])
        ws.send(
          JSON.stringify({
            jsonrpc: '2.0',
            method: 'subscribe',
            params: { stream, selectors: [this.p.subAccountId] },
            id: id++,
          }),
        )
    })
    let acks = 0
    ws.on('message', (data) => {
      let frame: Record<string, unknown>
      try {
        frame = JSON.parse(data.toString()) as Record<string, unknown>
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
            ws.terminate()
          }
        } else if (++acks === 3) this.emit('ready', this.connectionCount)
        return
      }
      try {
        this.onFeed(frame)
      } catch (error) {
        if (!(error instanceof MalformedFrameError)) throw error
        this.emit('malformed', error)
      }
    })
    ws.on('error', (error) => this.emit('error', error))
    ws.on('close', () => {
      if (this.socket === ws) this.socket = undefined
      this.retry()
    })
  }

  private retry(): void {
    if (this.stopped) return
    const delay = Math.min(5_000, 100 * 2 ** this.attempt++)
    this.retryTimer = this.p.clock.setTimeout(() => void this.connect(), delay)
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
