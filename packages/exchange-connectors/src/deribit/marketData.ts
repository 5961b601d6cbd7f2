import { EventEmitter } from 'eventemitter3'
import { AsyncQueue } from '../common/asyncQueue.js'
import { DecimalGrid } from '../common/decimal.js'
import type { MarketDataClient, MarketDataEvents, MarketDataMetrics } from '../common/marketDataClient.js'
import type { Bbo, OrderBookView, Trade } from '../common/types/marketData.js'
import { MalformedFrameError } from '../errors/transport.js'
import { inverseAmountUsdToSizeBase } from './amount/inverseAmountUsdToSizeBase.js'
import { DeribitDepthBook } from './depthBook.js'
import { isInverseInstrumentName } from './parse/isInverseInstrumentName.js'
import { numberToDecimalString } from './parse/numberToDecimalString.js'
import { parseDeribitBook } from './schemas/book.js'
import type { DeribitRpcClient } from './ws/client.js'

/**
 * Deribit market data over one `DeribitRpcClient`: `book.{instrument}.100ms` kept by `DeribitDepthBook` (a broken
 * `prev_change_id` chain → unsubscribe + subscribe for a fresh snapshot), `ticker.{instrument}.100ms` as BBO and
 * `trades.{instrument}.100ms`. After a reconnect every book waits for its new snapshot.
 * Inverse instruments (`BTC-PERPETUAL`): Deribit's amounts are USD. BBO and trade `sizeBase` are converted to coin at
 * their own price (`inverseAmountUsdToSizeBase`, truncated at 12 decimals); book levels stay integer lots of the USD
 * amount grid (`min_trade_amount`, one contract), as the venue publishes them.
 */
export class DeribitMarketDataClient extends EventEmitter<MarketDataEvents> implements MarketDataClient {
  private readonly rpc: DeribitRpcClient
  private readonly books_ = new Map<string, DeribitDepthBook>()
  private readonly syncWaiters = new Map<string, Array<() => void>>()
  private malformedFrames = 0
  private framesReceived = 0

  constructor(rpc: DeribitRpcClient) {
    super()
    this.rpc = rpc
    rpc.on('notification', (channel, data, ns) => this.onNotification(channel, data, ns))
    rpc.on('malformed', () => {
      this.malformedFrames++
    })
    rpc.on('health', (event) => {
      // the subscriptions are renewed on reconnect and each starts with a snapshot; until then the book is unknown
      if (event.kind === 'close')
        for (const book of this.books_.values()) book.reset('disconnected: waiting for a new snapshot')
      this.emit('health', event)
    })
  }

  /** Subscribes to the checked book; resolves once the first snapshot is applied. */
  async subscribeBook(instrumentName: string): Promise<void> {
    if (!this.books_.has(instrumentName)) {
      const info = (await this.rpc.request('public/get_instrument', { instrument_name: instrumentName })) as {
        tick_size: number
        min_trade_amount: number
      }
      this.books_.set(
        instrumentName,
        new DeribitDepthBook({
          instrumentName,
          priceGrid: new DecimalGrid(numberToDecimalString(info.tick_size, 'tick_size')),
          sizeGrid: new DecimalGrid(numberToDecimalString(info.min_trade_amount, 'min_trade_amount')),
        }),
      )
    }
    const synced = new Promise<void>((resolve) => {
      const list = this.syncWaiters.get(instrumentName) ?? []
      list.push(resolve)
      this.syncWaiters.set(instrumentName, list)
    })
    await this.rpc.subscribe([`book.${instrumentName}.100ms`])
    await synced
  }

  async subscribeBbo(instrumentName: string): Promise<void> {
    await this.rpc.subscribe([`ticker.${instrumentName}.100ms`])
  }

  async subscribeTrades(instrumentName: string): Promise<void> {
    await this.rpc.subscribe([`trades.${instrumentName}.100ms`])
  }

  books(symbol: string): AsyncIterableIterator<OrderBookView> {
    return this.queue('book', (b: OrderBookView) => b.symbol === symbol)
  }

  bbos(symbol: string): AsyncIterableIterator<Bbo> {
    return this.queue('bbo', (b: Bbo) => b.symbol === symbol)
  }

  trades(symbol: string): AsyncIterableIterator<Trade> {
    return this.queue('trade', (t: Trade) => t.symbol === symbol)
  }

  getBook(symbol: string, depth = 20): OrderBookView | undefined {
    const book = this.books_.get(symbol)
    return book?.isSynced ? book.view(depth) : undefined
  }

  metrics(): MarketDataMetrics {
    const resyncCount: Record<string, number> = {}
    for (const [name, book] of this.books_) resyncCount[name] = book.resyncCount
    return { resyncCount, malformedFrames: this.malformedFrames, framesReceived: this.framesReceived }
  }

  async close(): Promise<void> {
    this.rpc.close()
  }

  private queue<T>(event: 'book' | 'bbo' | 'trade', filter: (item: T) => boolean): AsyncIterableIterator<T> {
    const listener = (item: T) => {
      if (filter(item)) queue.push(item)
    }
    const queue = new AsyncQueue<T>(10_000, () => this.off(event, listener as never))
    this.on(event, listener as never)
    return queue
  }

  private onNotification(channel: string, data: unknown, receivedAtNs: bigint): void {
    this.framesReceived++
    const kind = channel.slice(0, channel.indexOf('.'))
    try {
      if (kind === 'book') this.onBook(data)
      else if (kind === 'ticker') this.onTicker(data, receivedAtNs)
      else if (kind === 'trades') this.onTrades(data, receivedAtNs)
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error
      this.malformedFrames++
      this.emit('health', { kind: 'error', connection: 'deribit', tsMs: this.rpc.clock.nowMs(), error })
    }
  }

  private onBook(data: unknown): void {
    const message = parseDeribitBook(data)
    const book = this.books_.get(message.instrument_name)
    if (!book) return
    const outcome = book.onMessage(message)
    if (outcome === 'synced') {
      for (const resolve of this.syncWaiters.get(message.instrument_name) ?? []) resolve()
      this.syncWaiters.delete(message.instrument_name)
    }
    if (outcome === 'synced' || outcome === 'applied') this.emit('book', book.view())
    if (outcome === 'resync') {
      const name = message.instrument_name
      this.emit('resync', { symbol: name, reason: book.lastResyncReason ?? 'gap', resyncCount: book.resyncCount })
      const channel = `book.${name}.100ms`
      // a fresh subscription starts with a full snapshot
      void this.rpc
        .unsubscribe([channel])
        .then(() => this.rpc.subscribe([channel]))
        .catch((error: unknown) =>
          this.emit('health', {
            kind: 'error',
            connection: 'deribit',
            tsMs: this.rpc.clock.nowMs(),
            error: error as Error,
          }),
        )
    }
  }

  private onTicker(data: unknown, receivedAtNs: bigint): void {
    const o = data as Record<string, unknown>
    if (
      typeof o?.instrument_name !== 'string' ||
      typeof o.best_bid_price !== 'number' ||
      typeof o.best_ask_price !== 'number'
    )
      throw new MalformedFrameError({ venue: 'deribit', field: 'ticker', reason: 'lacks instrument_name/best prices' })
    this.emit('bbo', {
      venue: 'deribit',
      symbol: o.instrument_name,
      bidPrice: numberToDecimalString(o.best_bid_price, 'best_bid_price'),
      bidSizeBase: this.sizeBase(
        o.instrument_name,
        Number(o.best_bid_amount ?? 0),
        o.best_bid_price,
        'best_bid_amount',
      ),
      askPrice: numberToDecimalString(o.best_ask_price, 'best_ask_price'),
      askSizeBase: this.sizeBase(
        o.instrument_name,
        Number(o.best_ask_amount ?? 0),
        o.best_ask_price,
        'best_ask_amount',
      ),
      updateId: 0,
      tsExchangeMs: Number(o.timestamp ?? 0),
      tsLocalNs: receivedAtNs,
      raw: data,
    })
  }

  /** A venue amount as base coin: itself on linear instruments, USD / price on inverse ones. */
  private sizeBase(instrumentName: string, amount: number, price: number, field: string): string {
    const decimal = numberToDecimalString(amount, field)
    if (!isInverseInstrumentName(instrumentName) || decimal === '0') return decimal
    return inverseAmountUsdToSizeBase(decimal, numberToDecimalString(price, 'price'))
  }

  private onTrades(data: unknown, receivedAtNs: bigint): void {
    if (!Array.isArray(data))
      throw new MalformedFrameError({ venue: 'deribit', field: 'trades', reason: 'is not an array' })
    for (const t of data as Array<Record<string, unknown>>) {
      if (typeof t.price !== 'number' || typeof t.amount !== 'number' || typeof t.instrument_name !== 'string')
        throw new MalformedFrameError({
          venue: 'deribit',
          field: 'trade',
          reason: 'lacks price/amount/instrument_name',
        })
      this.emit('trade', {
        venue: 'deribit',
        symbol: t.instrument_name,
        tradeId: String(t.trade_id),
        price: numberToDecimalString(t.price, 'price'),
        sizeBase: this.sizeBase(t.instrument_name, t.amount, t.price, 'amount'),
        side: t.direction === 'buy' ? 'buy' : 'sell',
        tsExchangeMs: Number(t.timestamp),
        tsLocalNs: receivedAtNs,
        raw: t,
      })
    }
  }
}
