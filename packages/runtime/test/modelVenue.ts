import { EventEmitter } from 'node:events'
import type { ConnectionHealthEvent, Fill, Order, Position } from '@alp/exchange-connectors'
import type { LiveVenueBinding } from '@alp/hedger'

/**
 * A deterministic in-memory venue behind the connector binding the roles use (`LiveVenueBinding`, what
 * `bindVenueConnector` of `@alp/hedger` returns): one symbol on a 0.01 tick / 0.001 lot grid, post-only limit orders,
 * a dead-man switch, a private stream (orders, fills, positions, health, a reconciliation snapshot after every
 * reconnect) and market-data health. Order-entry calls (place, amend, cancel, cancel-all) wait in `pending` until the
 * test processes them, with a fault of its choice; reads (open orders, positions, lookups) answer at once unless the
 * venue is disconnected. Venue time is `nowMs()` made strictly increasing.
 *
 * It keeps the truth the roles must converge to and records what reached it: every `placeOrder` call per client order
 * id (a second one for the same id is a duplicate create; the venue refuses it as Binance does, -4116), when each
 * order was created.
 */
export type VenueFault = 'ok' | 'reject' | 'timeoutLanded' | 'timeoutLost' | 'lostAnswerLanded'

export type ModelOrder = {
  clientOrderId: string
  orderId: string
  side: 'buy' | 'sell'
  priceTicks: number
  sizeLots: number
  filledLots: number
  state: 'new' | 'partiallyFilled' | 'filled' | 'canceled'
  tsMs: number
}

type Pending = {
  readonly kind: 'place' | 'amend' | 'cancel' | 'cancelAll'
  readonly parameters: Record<string, string>
  resolve(value: unknown): void
  reject(error: Error): void
}

const namedError = (name: string, message: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(message), { name }, extra)

export const ticksOf = (price: string): number => Math.round(Number(price) * 100)
export const lotsOf = (size: string): number => Math.round(Number(size) * 1000)
export const priceOf = (ticks: number): string => (ticks / 100).toFixed(2)
export const sizeOf = (lots: number): string => (lots / 1000).toFixed(3)

export class ModelVenue {
  readonly live = new Map<string, ModelOrder>()
  readonly orders = new Map<string, ModelOrder>()
  /** placeOrder calls that reached the venue, per client order id. */
  readonly placeCalls = new Map<string, number>()
  readonly pending: Pending[] = []
  /** Calls of any kind so far (the test waits until this stops moving). */
  calls = 0
  /** Every fill, by trade id. */
  readonly fills = new Map<string, { clientOrderId: string; side: 'buy' | 'sell'; lots: number }>()
  /** The venue's trade history (what a trade-history endpoint serves), oldest first. */
  readonly history: Fill[] = []
  positionLots = 0
  positionTsMs = 0
  connected = true
  bidTicks = 299_990
  askTicks = 300_010
  deadManDeadlineMs: number | null = null
  deadManCancels = 0
  #lastMs = 0
  #nextOrderId = 1
  #nextTrade = 1
  readonly #md = new EventEmitter()
  readonly #stream = new EventEmitter()
  readonly binding: LiveVenueBinding

  constructor(
    readonly venue: string,
    readonly symbol: string,
    readonly nowMs: () => number,
  ) {
    const md = this.#md
    const stream = this.#stream
    const marketData = {
      on: (event: string, listener: (...args: unknown[]) => void) => {
        md.on(event, listener)
        return marketData
      },
      off: (event: string, listener: (...args: unknown[]) => void) => {
        md.off(event, listener)
        return marketData
      },
      subscribeBook: async () => {},
      subscribeBbo: async () => {},
      subscribeTrades: async () => {},
    }
    const privateStream = {
      start: async () => {},
      on: (event: string, listener: (...args: never[]) => void) => {
        stream.on(event, listener as (...args: unknown[]) => void)
        return privateStream
      },
      off: (event: string, listener: (...args: never[]) => void) => {
        stream.off(event, listener as (...args: unknown[]) => void)
        return privateStream
      },
    }
    const defer = (kind: Pending['kind'], parameters: Record<string, string>) =>
      new Promise((resolve, reject) => {
        this.calls += 1
        this.pending.push({ kind, parameters, resolve, reject })
      })
    this.binding = {
      venue,
      symbol,
      marketData: marketData as unknown as LiveVenueBinding['marketData'],
      execution: {
        placeOrder: (p) => {
          return defer('place', {
            clientOrderId: p.clientOrderId,
            side: p.side,
            price: p.price,
            size: p.sizeBase,
          }) as Promise<Order>
        },
        amendOrder: (p) =>
          defer('amend', {
            clientOrderId: p.clientOrderId,
            side: p.side,
            price: p.price,
            size: p.sizeBase,
          }) as Promise<Order>,
        cancelOrder: (p) => defer('cancel', { clientOrderId: p.clientOrderId }) as Promise<Order>,
        cancelAllOrders: async () => {
          await defer('cancelAll', {})
        },
      },
      account: {
        getOpenOrders: async () => {
          this.#up()
          return [...this.live.values()].map((order) => this.#toOrder(order))
        },
        getPositions: async () => {
          this.#up()
          return [this.#position()]
        },
      },
      lookupOrder: async ({ clientOrderId }) => {
        this.#up()
        const order = this.orders.get(clientOrderId)
        return order === undefined ? null : this.#toOrder(order)
      },
      privateStream: privateStream as unknown as NonNullable<LiveVenueBinding['privateStream']>,
      armDeadManSwitch: async (timeoutMs) => {
        this.#up()
        this.deadManDeadlineMs = this.#now() + timeoutMs
      },
    }
  }

  /** Venue time: `nowMs()`, strictly increasing. */
  #now(): number {
    this.#lastMs = Math.max(this.nowMs(), this.#lastMs + 1)
    return this.#lastMs
  }

  #up(): void {
    this.calls += 1
    if (!this.connected) throw namedError('VenueUnavailableError', `${this.venue} unreachable`)
  }

  #toOrder(order: ModelOrder): Order {
    return {
      venue: this.venue,
      symbol: this.symbol,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      side: order.side,
      price: priceOf(order.priceTicks),
      sizeBase: sizeOf(order.sizeLots),
      filledSizeBase: sizeOf(order.filledLots),
      avgFillPrice: order.filledLots > 0 ? priceOf(order.priceTicks) : '0',
      timeInForce: 'postOnly',
      reduceOnly: false,
      state: order.state,
      tsExchangeMs: order.tsMs,
      raw: null,
    }
  }

  #position(): Position {
    return {
      venue: this.venue,
      symbol: this.symbol,
      sizeBase: sizeOf(this.positionLots),
      entryPrice: '0',
      unrealizedPnlQuote: '0',
      tsExchangeMs: this.positionTsMs,
      raw: null,
    }
  }

  #emitOrder(order: ModelOrder): void {
    if (this.connected) this.#stream.emit('order', this.#toOrder(order))
  }

  /** Executes one pending order-entry call (`pick` modulo the queue) with `fault`. */
  process(pick: number, fault: VenueFault): void {
    if (this.pending.length === 0) return
    const [request] = this.pending.splice(pick % this.pending.length, 1) as [Pending]
    if (!this.connected) {
      request.reject(namedError('VenueUnavailableError', `${this.venue} unreachable`))
      return
    }
    if (fault === 'timeoutLost') {
      request.reject(namedError('RequestTimeoutError', 'request timed out (never reached the venue)'))
      return
    }
    const p = request.parameters
    const landed = (result: unknown): void => {
      if (fault === 'timeoutLanded') request.reject(namedError('RequestTimeoutError', 'request timed out'))
      else if (fault === 'lostAnswerLanded')
        request.reject(namedError('OrderStatusUnknownError', 'no answer (the order may be live)'))
      else request.resolve(result)
    }
    switch (request.kind) {
      case 'place': {
        const id = p.clientOrderId as string
        this.placeCalls.set(id, (this.placeCalls.get(id) ?? 0) + 1)
        if (this.orders.has(id)) {
          request.reject(namedError('VenueRejectedError', 'ClientOrderId is duplicated.', { venueCode: -4116 }))
          return
        }
        if (fault === 'reject') {
          request.reject(namedError('InsufficientMarginError', 'Margin is insufficient.', { venueCode: -2019 }))
          return
        }
        const side = p.side as 'buy' | 'sell'
        const priceTicks = ticksOf(p.price as string)
        if (side === 'buy' ? priceTicks >= this.askTicks : priceTicks <= this.bidTicks) {
          request.reject(namedError('PostOnlyRejectedError', 'post-only order would take', { venueCode: -5022 }))
          return
        }
        const order: ModelOrder = {
          clientOrderId: id,
          orderId: String(this.#nextOrderId++),
          side,
          priceTicks,
          sizeLots: lotsOf(p.size as string),
          filledLots: 0,
          state: 'new',
          tsMs: this.#now(),
        }
        this.orders.set(id, order)
        this.live.set(id, order)
        this.#emitOrder(order)
        landed(this.#toOrder(order))
        return
      }
      case 'amend': {
        const order = this.live.get(p.clientOrderId as string)
        if (order === undefined) {
          request.reject(namedError('OrderNotFoundError', 'Unknown order sent.', { venueCode: -2013 }))
          return
        }
        const priceTicks = ticksOf(p.price as string)
        const sizeLots = lotsOf(p.size as string)
        const crosses = order.side === 'buy' ? priceTicks >= this.askTicks : priceTicks <= this.bidTicks
        if (fault === 'reject' || crosses || sizeLots <= order.filledLots) {
          request.reject(namedError('PostOnlyRejectedError', 'amend refused', { venueCode: -5022 }))
          return
        }
        order.priceTicks = priceTicks
        order.sizeLots = sizeLots
        order.tsMs = this.#now()
        this.#emitOrder(order)
        landed(this.#toOrder(order))
        return
      }
      case 'cancel': {
        const order = this.live.get(p.clientOrderId as string)
        if (order === undefined) {
          request.reject(namedError('OrderNotFoundError', 'Unknown order sent.', { venueCode: -2011 }))
          return
        }
        if (fault === 'reject') {
          request.reject(namedError('VenueUnavailableError', 'service unavailable'))
          return
        }
        this.#cancel(order)
        landed(this.#toOrder(order))
        return
      }
      case 'cancelAll': {
        if (fault === 'reject') {
          request.reject(namedError('VenueUnavailableError', 'service unavailable'))
          return
        }
        for (const order of [...this.live.values()]) this.#cancel(order)
        landed(undefined)
        return
      }
    }
  }

  #cancel(order: ModelOrder): void {
    order.state = 'canceled'
    order.tsMs = this.#now()
    this.live.delete(order.clientOrderId)
    this.#emitOrder(order)
  }

  /** A taker trades against one of our live orders (half of what rests when `partial`). */
  fill(pick: number, partial: boolean): void {
    const ids = [...this.live.keys()]
    if (ids.length === 0) return
    const order = this.live.get(ids[pick % ids.length] as string) as ModelOrder
    const remaining = order.sizeLots - order.filledLots
    const lots = partial && remaining > 1 ? Math.ceil(remaining / 2) : remaining
    order.filledLots += lots
    order.state = order.filledLots >= order.sizeLots ? 'filled' : 'partiallyFilled'
    order.tsMs = this.#now()
    if (order.state === 'filled') this.live.delete(order.clientOrderId)
    this.positionLots += order.side === 'buy' ? lots : -lots
    this.positionTsMs = order.tsMs
    const tradeId = `${this.venue}-t${this.#nextTrade++}`
    this.fills.set(tradeId, { clientOrderId: order.clientOrderId, side: order.side, lots })
    const fill: Fill = {
      venue: this.venue,
      symbol: this.symbol,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      tradeId,
      side: order.side,
      price: priceOf(order.priceTicks),
      sizeBase: sizeOf(lots),
      fee: '0',
      feeAsset: 'USDT',
      isMaker: true,
      tsExchangeMs: order.tsMs,
      raw: null,
    }
    this.history.push(fill)
    if (!this.connected) return // the private stream is down: it never reports this fill
    this.#stream.emit('fill', fill)
    this.#emitOrder(order)
    this.#stream.emit('position', this.#position())
  }

  /**
   * A burst of `count` position reports on the private stream in one go (a venue replaying its account after an
   * outage, say), the position wandering and ending at `finalLots`, which it then is.
   */
  burstPositions(count: number, finalLots: number): void {
    for (let i = 1; i <= count; i++) {
      this.positionLots = i === count ? finalLots : ((i * 37) % 400) - 200
      this.positionTsMs = this.#now()
      this.#stream.emit('position', this.#position())
    }
  }

  /** The market's best bid/offer (post-only orders and amends that would cross it are refused). */
  setTouch(bidTicks: number, askTicks: number): void {
    this.bidTicks = bidTicks
    this.askTicks = askTicks
  }

  /** The venue's clock passes the dead-man deadline: it cancels everything (countdownCancelAll). */
  checkDeadMan(): void {
    if (this.deadManDeadlineMs === null || this.nowMs() < this.deadManDeadlineMs) return
    this.deadManDeadlineMs = null
    if (this.live.size > 0) this.deadManCancels += 1
    for (const order of [...this.live.values()]) this.#cancel(order)
  }

  #health(kind: 'open' | 'close'): void {
    for (const [emitter, connection] of [
      [this.#md, 'marketData'],
      [this.#stream, 'private'],
    ] as const) {
      const event: ConnectionHealthEvent =
        kind === 'open'
          ? { kind, connection, tsMs: this.nowMs() }
          : { kind, connection, tsMs: this.nowMs(), code: 1006, reason: 'model disconnect' }
      emitter.emit('health', event)
    }
  }

  /** Every connection drops: order entry and reads fail, the private stream misses what happens meanwhile. */
  disconnect(): void {
    if (!this.connected) return
    this.#health('close')
    this.connected = false
  }

  /** Connections come back; the private stream reconciles (open orders, positions) as connectors do after a reconnect. */
  reconnect(): void {
    if (this.connected) return
    this.connected = true
    this.#health('open')
    this.#stream.emit('reconciled', {
      openOrders: [...this.live.values()].map((order) => this.#toOrder(order)),
      positions: [this.#position()],
      balances: [],
    })
  }

  /** The trade-history endpoint: our fills at or after `sinceMs` (venue time). Fails while the venue is down. */
  async readFills(sinceMs: number): Promise<readonly Fill[]> {
    this.#up()
    return this.history.filter((fill) => fill.tsExchangeMs >= sinceMs)
  }

  /** Resolves every pending call with `ok` (used when faults stop). */
  drain(): void {
    while (this.pending.length > 0) this.process(0, 'ok')
  }
}
