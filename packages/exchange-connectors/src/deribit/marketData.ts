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
import {
  readDeribitEnum,
  readDeribitNumber,
  readDeribitObject,
  readDeribitSafeInteger,
  readDeribitString,
} from './parse/readDeribitField.js'
import { parseDeribitBook } from './schemas/book.js'
import type { DeribitRpcClient } from './ws/client.js'

/** Market-data events plus `malformed`: each dropped frame (or trade element), as the typed error that dropped it. */
export type DeribitMarketDataEvents = MarketDataEvents & { malformed: (error: MalformedFrameError) => void }

/** Market-data counters plus well-formed frames with nothing to emit (a ticker of a one-sided book). */
export type DeribitMarketDataMetrics = MarketDataMetrics & { readonly ignoredFrames: number }

/**
 * Deribit market data over one `DeribitRpcClient`: `book.{instrument}.100ms` kept by `DeribitDepthBook` (a broken
 * `prev_change_id` chain → unsubscribe + subscribe for a fresh snapshot), `ticker.{instrument}.100ms` as BBO and
 * `trades.{instrument}.100ms`. After a reconnect every book waits for its new snapshot.
 * Inverse instruments (`BTC-PERPETUAL`): Deribit's amounts are USD. BBO and trade `sizeBase` are converted to coin at
 * their own price (`inverseAmountUsdToSizeBase`, truncated at 12 decimals); book levels stay integer lots of the USD
 * amount grid (`min_trade_amount`, one contract), as the venue publishes them.
 *
 * No frame can throw out of the client: every payload is validated (finite numbers in range, `direction` exactly
 * `buy|sell`, safe-integer timestamps); a bad one is dropped, counted in `metrics().malformedFrames` and reported as a
 * `MalformedFrameError` on `malformed` (and as a health `error`, as the other venues do). Trade arrays are checked per
 * element: good trades are emitted, each bad one is counted. Frames the connection could not parse at all (bad JSON,
 * unknown methods) are counted and reported the same way.
 */
export class DeribitMarketDataClient extends EventEmitter<MarketDataEvents> implements MarketDataClient {
  // `malformed` on top of the venue-neutral events (the common MarketDataEvents does not list it)
  override on<E extends keyof MarketDataEvents>(
    event: E,
    fn: EventEmitter.EventListener<MarketDataEvents, E>,
    context?: unknown,
  ): this
  override on(event: 'malformed', fn: (error: MalformedFrameError) => void, context?: unknown): this
  override on(event: keyof DeribitMarketDataEvents, fn: (...args: never[]) => void, context?: unknown): this {
    return super.on(event as keyof MarketDataEvents, fn as never, context)
  }
  override off<E extends keyof MarketDataEvents>(
    event: E,
    fn?: EventEmitter.EventListener<MarketDataEvents, E>,
    context?: unknown,
  ): this
  override off(event: 'malformed', fn?: (error: MalformedFrameError) => void, context?: unknown): this
  override off(event: keyof DeribitMarketDataEvents, fn?: (...args: never[]) => void, context?: unknown): this {
    return super.off(event as keyof MarketDataEvents, fn as never, context)
  }

  private readonly rpc: DeribitRpcClient
  private readonly books_ = new Map<string, DeribitDepthBook>()
  private readonly syncWaiters = new Map<string, Array<() => void>>()
  private malformedFrames = 0
  private framesReceived = 0
  private ignoredFrames = 0

  constructor(rpc: DeribitRpcClient) {
    super()
    this.rpc = rpc
    rpc.on('notification', (channel, data, ns) => this.onNotification(channel, data, ns))
    rpc.on('malformed', (error) => this.onMalformed(error))
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

  metrics(): DeribitMarketDataMetrics {
    const resyncCount: Record<string, number> = {}
    for (const [name, book] of this.books_) resyncCount[name] = book.resyncCount
    return {
      resyncCount,
      malformedFrames: this.malformedFrames,
      framesReceived: this.framesReceived,
      ignoredFrames: this.ignoredFrames,
    }
  }

  async close(): Promise<void> {
    this.rpc.close()
  }

  /** Counters and connection state only. */
  toJSON(): { connection: unknown; metrics: MarketDataMetrics } {
    return { connection: this.rpc.toJSON(), metrics: this.metrics() }
  }

  private onMalformed(error: MalformedFrameError): void {
    this.malformedFrames++
    ;(super.emit as (event: string, ...args: unknown[]) => boolean).call(this, 'malformed', error)
    this.emit('health', { kind: 'error', connection: this.rpc.name, tsMs: this.rpc.clock.nowMs(), error })
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
    const kind = channel.slice(0, channel.indexOf('.'))
    if (kind !== 'book' && kind !== 'ticker' && kind !== 'trades') return
    this.framesReceived++
    // `{kind}.{instrument}.{interval}`: every payload must be about the channel's instrument
    const instrument = channel.split('.')[1] ?? ''
    if (kind === 'book') {
      const message = this.parse('book', () => sameInstrument(parseDeribitBook(data), instrument))
      if (message) this.onBook(message)
    } else if (kind === 'ticker') {
      const bbo = this.parse('ticker', () => this.parseTicker(data, instrument, receivedAtNs))
      if (bbo) this.emit('bbo', bbo)
      else if (bbo === null) this.ignoredFrames++
    } else {
      if (!Array.isArray(data)) {
        this.onMalformed(new MalformedFrameError({ venue: 'deribit', field: 'trades', reason: 'is not an array' }))
        return
      }
      for (const element of data) {
        const trade = this.parse('trade', () => sameInstrument(this.parseTrade(element, receivedAtNs), instrument))
        if (trade) this.emit('trade', trade)
      }
    }
  }

  /**
   * Runs a parser; any failure becomes a counted `malformed` drop (an error that is not already a MalformedFrameError
   * is wrapped, with the original as `cause`), so a venue frame never throws out of the client.
   */
  private parse<T>(what: string, parser: () => T): T | undefined {
    try {
      return parser()
    } catch (error) {
      this.onMalformed(
        error instanceof MalformedFrameError
          ? error
          : new MalformedFrameError({ venue: 'deribit', field: what, reason: 'could not be parsed', cause: error }),
      )
      return undefined
    }
  }

  private onBook(message: ReturnType<typeof parseDeribitBook>): void {
    const book = this.books_.get(message.instrument_name)
    if (!book) {
      this.onMalformed(
        new MalformedFrameError({ venue: 'deribit', field: 'instrument_name', reason: 'is not a subscribed book' }),
      )
      return
    }
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

  /** The BBO of a ticker, or `null` when a side is empty (Deribit sends `null` for it): a one-sided book has none. */
  private parseTicker(data: unknown, instrument: string, receivedAtNs: bigint): Bbo | null {
    const o = readDeribitObject(data, 'ticker')
    const symbol = sameInstrument({ symbol: readDeribitString(o, 'instrument_name') }, instrument).symbol
    const tsExchangeMs = readDeribitSafeInteger(o, 'timestamp')
    if (o.best_bid_price === null || o.best_ask_price === null) return null
    const bid = readDeribitNumber(o, 'best_bid_price', 'positive')
    const ask = readDeribitNumber(o, 'best_ask_price', 'positive')
    const bidAmount = o.best_bid_amount === undefined ? 0 : readDeribitNumber(o, 'best_bid_amount', 'nonNegative')
    const askAmount = o.best_ask_amount === undefined ? 0 : readDeribitNumber(o, 'best_ask_amount', 'nonNegative')
    return {
      venue: 'deribit',
      symbol,
      bidPrice: numberToDecimalString(bid, 'best_bid_price'),
      bidSizeBase: this.sizeBase(symbol, bidAmount, bid, 'best_bid_amount'),
      askPrice: numberToDecimalString(ask, 'best_ask_price'),
      askSizeBase: this.sizeBase(symbol, askAmount, ask, 'best_ask_amount'),
      updateId: 0,
      tsExchangeMs,
      tsLocalNs: receivedAtNs,
      raw: data,
    }
  }

  /** A venue amount as base coin: itself on linear instruments, USD / price on inverse ones. */
  private sizeBase(instrumentName: string, amount: number, price: number, field: string): string {
    const decimal = numberToDecimalString(amount, field)
    if (!isInverseInstrumentName(instrumentName) || decimal === '0') return decimal
    return inverseAmountUsdToSizeBase(decimal, numberToDecimalString(price, 'price'))
  }

  private parseTrade(data: unknown, receivedAtNs: bigint): Trade {
    const t = readDeribitObject(data, 'trade')
    const symbol = readDeribitString(t, 'instrument_name')
    const price = readDeribitNumber(t, 'price', 'positive')
    const amount = readDeribitNumber(t, 'amount', 'positive')
    return {
      venue: 'deribit',
      symbol,
      tradeId: readDeribitString(t, 'trade_id'),
      price: numberToDecimalString(price, 'price'),
      sizeBase: this.sizeBase(symbol, amount, price, 'amount'),
      side: readDeribitEnum(t, 'direction', ['buy', 'sell'] as const),
      tsExchangeMs: readDeribitSafeInteger(t, 'timestamp'),
      tsLocalNs: receivedAtNs,
      raw: t,
    }
  }
}

/** The payload itself when it names the channel's instrument (`instrument_name` or `symbol`), else malformed. */
function sameInstrument<T extends { instrument_name: string } | { symbol: string }>(payload: T, instrument: string): T {
  const name = 'instrument_name' in payload ? payload.instrument_name : payload.symbol
  if (name !== instrument)
    throw new MalformedFrameError({
      venue: 'deribit',
      field: 'instrument_name',
      reason: "is not the channel's instrument",
    })
  return payload
}
