import { EventEmitter } from 'eventemitter3'
import { AsyncQueue } from '../../common/asyncQueue.js'
import type { TimerHandle } from '../../common/clock.js'
import { mergeOrderUpdate } from '../../common/mergeOrderUpdate.js'
import { isFinalOrderState } from '../../common/orderStateMachine.js'
import type { PrivateStream, PrivateStreamEvents, ReconciliationSnapshot } from '../../common/privateStream.js'
import { ReconnectingSocket } from '../../common/reconnectingSocket.js'
import type { Fill } from '../../common/types/account.js'
import type { Order } from '../../common/types/order.js'
import { InvalidOrderTransitionError } from '../../errors/order.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { ListenKeyExpiredError, OrderNotFoundError } from '../../errors/venue.js'
import { type BinanceConnectorConfig, protectConfig } from '../config.js'
import type { BinanceExecutionClient } from '../execution.js'
import { createListenKey, keepAliveListenKey } from '../http/account.js'
import type { BinanceHttpClient } from '../http/client.js'
import { parseAccountUpdate } from '../parse/parseAccountUpdate.js'
import { parseOrderUpdate } from '../parse/parseOrderUpdate.js'
import { asObject, parseJson } from '../schemas/fields.js'

/**
 * USDⓈ-M user-data stream over a listenKey.
 *
 * - Every (re)connection POSTs the listenKey first (the venue returns the account's active key, extended, or a new
 *   one), so an expired key (`listenKeyExpired`, `-1125` on keep-alive) is handled by reconnecting.
 * - A keep-alive PUT runs every `listenKeyKeepAliveMs` (default 30 min; the key lives 60 min).
 * - After every connection, open orders, positions and balances are re-read over REST (`reconciled` event), and every
 *   order we were tracking that is no longer open is fetched by client id, so an update missed while disconnected is
 *   still delivered (as an `order` event with its final state).
 * - `ACCOUNT_UPDATE` gives positions directly; balances are then re-read from `/fapi/v3/balance` because the event's
 *   `cw` is the cross wallet balance, not the available balance.
 * - The key is never DELETEd: it is shared by every client of the account.
 */
export class BinanceUserDataStream extends EventEmitter<PrivateStreamEvents> implements PrivateStream {
  readonly venue: string
  private readonly socket: ReconnectingSocket
  private keepAliveTimer: TimerHandle | undefined
  private readonly tracked = new Map<string, Order>()
  /** Client ids of tracked orders that reached a final state, oldest first (bounded by maxFinishedOrdersTracked). */
  private readonly finished: string[] = []
  private firstReconcile: Promise<void> | undefined
  private resolveFirst: (() => void) | undefined
  /** Number of listenKeys obtained (1 + re-creations). */
  listenKeysCreated = 0
  /**
   * Frames received on the private socket and how each ended: `handled`, `ignored` (an event type this stream does
   * not use) or `malformed` (reported as a `MalformedFrameError` health event). `received` is always the sum.
   */
  readonly frameCounts = { received: 0, handled: 0, ignored: 0, malformed: 0 }

  private readonly config: BinanceConnectorConfig

  constructor(
    config: BinanceConnectorConfig,
    private readonly http: BinanceHttpClient,
    private readonly execution: BinanceExecutionClient,
    /** Symbols whose open orders are reconciled after each reconnect. */
    private readonly symbols: readonly string[],
  ) {
    super()
    this.config = protectConfig(config)
    this.venue = http.venue
    this.socket = new ReconnectingSocket({
      name: `${this.venue}/private`,
      venue: this.venue,
      url: async () => {
        const key = await createListenKey(this.http)
        this.listenKeysCreated++
        return `${this.config.urls.wsPrivateUrl}/ws?listenKey=${encodeURIComponent(key)}`
      },
      clock: config.clock,
      random: config.random,
      backoff: config.backoff,
      maxConnectionAgeMs: config.maxConnectionAgeMs,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      staleAfterMs: config.staleAfterMs ?? 10 * 60_000,
      onConnected: () => this.reconcile(),
    })
    this.socket.on('message', (text) => this.onMessage(text))
    execution.onPlaced((order) => this.track(order))
    this.socket.on('health', (event) => this.emit('health', event))
  }

  /** Orders known to this stream, by client order id (latest state). */
  get trackedOrders(): ReadonlyMap<string, Order> {
    return this.tracked
  }

  async start(): Promise<void> {
    this.firstReconcile = new Promise((resolve) => {
      this.resolveFirst = resolve
    })
    await this.socket.start()
    this.armKeepAlive()
    await this.firstReconcile
  }

  /** Registers an order we just placed so reconciliation can follow it even if its updates are missed. */
  track(order: Order): void {
    // the stream may already have delivered a newer state (e.g. FILLED before the REST answer): keep that one
    if (!this.tracked.has(order.clientOrderId)) this.tracked.set(order.clientOrderId, order)
  }

  orders(): AsyncIterableIterator<Order> {
    return this.iterate('order')
  }

  fills(): AsyncIterableIterator<Fill> {
    return this.iterate('fill')
  }

  /** Forces a reconnect (re-creates the listenKey and reconciles). */
  reconnectNow(reason: string): void {
    this.socket.reconnectNow(reason)
  }

  get connectionCount(): number {
    return this.socket.connectionCount
  }

  /** What `JSON.stringify` prints: counters only (never credentials or the listenKey). */
  toJSON(): Record<string, unknown> {
    return {
      venue: this.venue,
      connectionCount: this.socket.connectionCount,
      listenKeysCreated: this.listenKeysCreated,
      trackedOrders: this.tracked.size,
      frameCounts: { ...this.frameCounts },
    }
  }

  async close(): Promise<void> {
    this.keepAliveTimer?.cancel()
    this.socket.stop()
  }

  private iterate<E extends 'order' | 'fill', T>(event: E): AsyncQueue<T> {
    const listener = (item: T) => queue.push(item)
    const queue = new AsyncQueue<T>(100_000, () => this.off(event, listener as never))
    this.on(event, listener as never)
    return queue
  }

  private armKeepAlive(): void {
    const period = this.config.listenKeyKeepAliveMs ?? 30 * 60_000
    const tick = () => {
      this.keepAliveTimer = this.config.clock.setTimeout(tick, period)
      keepAliveListenKey(this.http).catch((error: unknown) => {
        if (error instanceof ListenKeyExpiredError) this.socket.reconnectNow('listenKey expired (-1125 on keep-alive)')
        this.emit('health', {
          kind: 'error',
          connection: `${this.venue}/private`,
          tsMs: this.config.clock.nowMs(),
          error: error instanceof Error ? error : new Error(String(error)),
        })
      })
    }
    this.keepAliveTimer = this.config.clock.setTimeout(tick, period)
  }

  private async reconcile(): Promise<void> {
    const openOrders: Order[] = []
    for (const symbol of this.symbols) openOrders.push(...(await this.execution.getOpenOrders(symbol)))
    const [positions, balances] = await Promise.all([this.execution.getPositions(), this.execution.getBalances()])
    const open = new Set(openOrders.map((o) => o.clientOrderId))
    for (const order of openOrders) this.apply(order, true)
    // tracked orders that are no longer open reached a final state while we were not listening
    for (const order of [...this.tracked.values()]) {
      if (open.has(order.clientOrderId) || isFinalOrderState(order.state)) continue
      try {
        this.apply(await this.execution.getOrder(order.symbol, order.clientOrderId), true)
      } catch (error) {
        if (!(error instanceof OrderNotFoundError)) throw error
        // the venue does not know it (e.g. rejected post-only, never recorded): drop it from tracking
        this.tracked.delete(order.clientOrderId)
      }
    }
    const snapshot: ReconciliationSnapshot = { openOrders, positions, balances }
    this.emit('reconciled', snapshot)
    this.resolveFirst?.()
    this.resolveFirst = undefined
  }

  /**
   * Records a new view of an order and emits it when it changed. Views older than what we hold (a REST snapshot that
   * raced the stream) are dropped; an impossible transition that is not older is recorded (the venue's word wins) and
   * reported as a health error.
   */
  private apply(order: Order, emit: boolean): void {
    const previous = this.tracked.get(order.clientOrderId)
    const action = mergeOrderUpdate(previous, order)
    if (action === 'unchanged' || action === 'stale') return
    if (action === 'invalid' && previous)
      this.emit('health', {
        kind: 'error',
        connection: `${this.venue}/private`,
        tsMs: this.config.clock.nowMs(),
        error: new InvalidOrderTransitionError({
          venue: this.venue,
          clientOrderId: order.clientOrderId,
          from: previous.state,
          to: order.state,
        }),
      })
    this.tracked.set(order.clientOrderId, order)
    if (isFinalOrderState(order.state)) this.forgetOldFinished(order.clientOrderId)
    if (emit) this.emit('order', order)
  }

  /** Remembers `clientOrderId` as finished; beyond the bound, the oldest finished orders are no longer tracked. */
  private forgetOldFinished(clientOrderId: string): void {
    this.finished.push(clientOrderId)
    const max = this.config.maxFinishedOrdersTracked ?? 1024
    while (this.finished.length > max) {
      const id = this.finished.shift() as string
      const order = this.tracked.get(id)
      // Tracked again since (a client id reused by a new order): keep it.
      if (order !== undefined && isFinalOrderState(order.state) && !this.finished.includes(id)) this.tracked.delete(id)
    }
  }

  private onMessage(text: string): void {
    this.frameCounts.received++
    let handle: () => void
    try {
      const message = asObject(parseJson(text, this.venue), 'frame', this.venue)
      if (message.e === 'ORDER_TRADE_UPDATE') {
        const update = parseOrderUpdate(message, this.venue)
        handle = () => {
          if (update.fill) this.emit('fill', update.fill)
          this.apply(update.order, true)
        }
      } else if (message.e === 'ACCOUNT_UPDATE') {
        const update = parseAccountUpdate(message, this.venue)
        handle = () => {
          for (const position of update.positions) this.emit('position', position)
          void this.refreshBalances()
        }
      } else if (message.e === 'listenKeyExpired') {
        handle = () => this.socket.reconnectNow('listenKeyExpired event')
      } else if (typeof message.e === 'string') {
        this.frameCounts.ignored++
        return
      } else throw new MalformedFrameError({ venue: this.venue, field: 'e', reason: 'is not a string' })
    } catch (error) {
      this.frameCounts.malformed++
      this.emitError(
        error instanceof MalformedFrameError
          ? error
          : new MalformedFrameError({
              venue: this.venue,
              field: '<frame>',
              reason: 'could not be parsed',
              cause: error,
            }),
      )
      return
    }
    this.frameCounts.handled++
    try {
      handle()
    } catch (error) {
      // a listener threw: the frame was fine; report it and keep the stream alive
      this.emitError(error instanceof Error ? error : new Error(String(error)))
    }
  }

  private emitError(error: Error): void {
    this.emit('health', { kind: 'error', connection: `${this.venue}/private`, tsMs: this.config.clock.nowMs(), error })
  }

  private async refreshBalances(): Promise<void> {
    try {
      for (const balance of await this.execution.getBalances()) this.emit('balance', balance)
    } catch (error) {
      this.emit('health', {
        kind: 'error',
        connection: `${this.venue}/private`,
        tsMs: this.config.clock.nowMs(),
        error: error instanceof Error ? error : new Error(String(error)),
      })
    }
  }
}
