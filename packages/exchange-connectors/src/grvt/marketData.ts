import { EventEmitter } from 'eventemitter3'
import { AsyncQueue } from '../common/asyncQueue.js'
import type { Clock } from '../common/clock.js'
import { DecimalGrid } from '../common/decimal.js'
import type { MarketDataClient, MarketDataEvents, MarketDataMetrics } from '../common/marketDataClient.js'
import { ReconnectingSocket } from '../common/reconnectingSocket.js'
import type { Bbo, OrderBookView, Trade } from '../common/types/marketData.js'
import { MalformedFrameError } from '../errors/transport.js'
import { GrvtDepthBook, type GrvtDepthBookOutcome } from './depthBook.js'
import type { GrvtHttpClient } from './http/client.js'
import { parseGrvtTrade } from './parse/parseTrade.js'
import { readGrvtObject } from './parse/readGrvtField.js'
import { parseGrvtBook } from './schemas/book.js'

/** Market-data events plus `malformed`: each dropped frame, as the typed error that dropped it. */
export type GrvtMarketDataEvents = MarketDataEvents & { malformed: (error: MalformedFrameError) => void }

/**
 * Market-data counters plus frames ignored on purpose (acks, other streams or instruments, duplicate or out-of-sync
 * book frames). Every received frame is exactly one of: a `trade`, a `book` (snapshot or delta applied), a `resync`,
 * malformed, or ignored.
 */
export type GrvtMarketDataMetrics = MarketDataMetrics & { readonly ignoredFrames: number }

export type GrvtMarketDataClientParameters = {
  /** Market-data JSON-RPC WebSocket, e.g. `wss://market-data.testnet.grvt.io/ws/full`. */
  wsUrl: string
  http: GrvtHttpClient
  clock: Clock
  random: () => number
  /** `book.d` rate in ms (50, 100, 500, 1000). Default 100. */
  bookRateMs?: number | undefined
}

/**
 * GRVT market data: `v1.book.d` kept by `GrvtDepthBook` (sequence numbers must step by one; a gap → unsubscribe and
 * subscribe again for a fresh snapshot; duplicates ignored). Reconnects resubscribe and wait for new snapshots.
 * BBO is derived from that book; trades come from `v1.trade`.
 */
export class GrvtMarketDataClient extends EventEmitter<MarketDataEvents> implements MarketDataClient {
  // `malformed` on top of the venue-neutral events (the common MarketDataEvents does not list it)
  override on<E extends keyof MarketDataEvents>(
    event: E,
    fn: EventEmitter.EventListener<MarketDataEvents, E>,
    context?: unknown,
  ): this
  override on(event: 'malformed', fn: (error: MalformedFrameError) => void, context?: unknown): this
  override on(event: keyof GrvtMarketDataEvents, fn: (...args: never[]) => void, context?: unknown): this {
    return super.on(event as keyof MarketDataEvents, fn as never, context)
  }
  override off<E extends keyof MarketDataEvents>(
    event: E,
    fn?: EventEmitter.EventListener<MarketDataEvents, E>,
    context?: unknown,
  ): this
  override off(event: 'malformed', fn?: (error: MalformedFrameError) => void, context?: unknown): this
  override off(event: keyof GrvtMarketDataEvents, fn?: (...args: never[]) => void, context?: unknown): this {
    return super.off(event as keyof MarketDataEvents, fn as never, context)
  }

  private readonly p: GrvtMarketDataClientParameters
  readonly socket: ReconnectingSocket
  private readonly books_ = new Map<string, GrvtDepthBook>()
  private readonly syncWaiters = new Map<string, Array<() => void>>()
  private readonly bboInstruments = new Set<string>()
  private readonly tradeInstruments = new Set<string>()
  private readonly lastBbo = new Map<string, string>()
  private nextId = 1
  private malformedFrames = 0
  private framesReceived = 0
  private ignoredFrames = 0

  constructor(parameters: GrvtMarketDataClientParameters) {
    super()
    this.p = parameters
    this.socket = new ReconnectingSocket({
      name: 'grvt/market-data',
      venue: 'grvt',
      url: parameters.wsUrl,
      clock: parameters.clock,
      random: parameters.random,
      onConnected: () => {
        for (const name of this.books_.keys()) this.sendSubscribe('subscribe', name)
        for (const name of this.tradeInstruments) this.sendTradeSubscribe(name)
      },
    })
    this.socket.on('message', (text, _ms, ns) => this.onMessage(text, ns))
    this.socket.on('health', (event) => {
      if (event.kind === 'close') for (const book of this.books_.values()) book.reset('disconnected')
      this.emit('health', event)
    })
  }

  async start(): Promise<void> {
    await this.socket.start()
  }

  async subscribeBook(instrument: string): Promise<void> {
    if (!this.books_.has(instrument)) {
      const info = (await this.p.http.market('instrument', { instrument })) as { tick_size: string; min_size: string }
      this.books_.set(
        instrument,
        new GrvtDepthBook({
          instrument,
          priceGrid: new DecimalGrid(info.tick_size),
          sizeGrid: new DecimalGrid(info.min_size),
        }),
      )
    }
    const synced = new Promise<void>((resolve) => {
      const list = this.syncWaiters.get(instrument) ?? []
      list.push(resolve)
      this.syncWaiters.set(instrument, list)
    })
    await this.start()
    this.sendSubscribe('subscribe', instrument)
    await synced
  }

  /** BBO derived from the sequence-checked `book.d` book (emitted on every book change that moves the top). */
  async subscribeBbo(instrument: string): Promise<void> {
    this.bboInstruments.add(instrument)
    await this.subscribeBook(instrument)
  }

  /** Public trades from `v1.trade` (`instrument@500`). */
  async subscribeTrades(instrument: string): Promise<void> {
    await this.start()
    this.tradeInstruments.add(instrument)
    this.sendTradeSubscribe(instrument)
  }

  books(symbol: string): AsyncIterableIterator<OrderBookView> {
    const listener = (b: OrderBookView) => {
      if (b.symbol === symbol) queue.push(b)
    }
    const queue = new AsyncQueue<OrderBookView>(10_000, () => this.off('book', listener))
    this.on('book', listener)
    return queue
  }

  bbos(symbol: string): AsyncIterableIterator<Bbo> {
    const listener = (b: Bbo) => {
      if (b.symbol === symbol) queue.push(b)
    }
    const queue = new AsyncQueue<Bbo>(10_000, () => this.off('bbo', listener))
    this.on('bbo', listener)
    return queue
  }

  trades(symbol: string): AsyncIterableIterator<Trade> {
    const listener = (t: Trade) => {
      if (t.symbol === symbol) queue.push(t)
    }
    const queue = new AsyncQueue<Trade>(10_000, () => this.off('trade', listener))
    this.on('trade', listener)
    return queue
  }

  getBook(symbol: string, depth = 20): OrderBookView | undefined {
    const book = this.books_.get(symbol)
    return book?.isSynced ? book.view(depth) : undefined
  }

  metrics(): GrvtMarketDataMetrics {
    const resyncCount: Record<string, number> = {}
    for (const [name, book] of this.books_) resyncCount[name] = book.resyncCount
    return {
      resyncCount,
      malformedFrames: this.malformedFrames,
      framesReceived: this.framesReceived,
      ignoredFrames: this.ignoredFrames,
    }
  }

  /** What `JSON.stringify` shows (no session data). */
  toJSON(): Record<string, unknown> {
    return {
      kind: 'GrvtMarketDataClient',
      wsUrl: this.p.wsUrl,
      instruments: [...this.books_.keys()],
      ...this.metrics(),
    }
  }

  async close(): Promise<void> {
    this.socket.stop()
  }

  private sendSubscribe(method: 'subscribe' | 'unsubscribe', instrument: string): void {
    if (method === 'subscribe') this.books_.get(instrument)?.expectSnapshot()
    this.socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method,
        params: { stream: 'v1.book.d', selectors: [`${instrument}@${this.p.bookRateMs ?? 100}`] },
        id: this.nextId++,
      }),
    )
  }

  private sendTradeSubscribe(instrument: string): void {
    this.socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { stream: 'v1.trade', selectors: [`${instrument}@500`] },
        id: this.nextId++,
      }),
    )
  }

  private emitBbo(book: GrvtDepthBook, receivedAtNs: bigint): void {
    const view = book.view(1)
    const bid = view.bids[0]
    const ask = view.asks[0]
    if (!bid || !ask) return
    const key = `${bid[0]}/${bid[1]}/${ask[0]}/${ask[1]}`
    if (this.lastBbo.get(book.instrument) === key) return
    this.lastBbo.set(book.instrument, key)
    this.emit('bbo', {
      venue: 'grvt',
      symbol: book.instrument,
      bidPrice: book.priceGrid.format(BigInt(bid[0])),
      bidSizeBase: book.sizeGrid.format(BigInt(bid[1])),
      askPrice: book.priceGrid.format(BigInt(ask[0])),
      askSizeBase: book.sizeGrid.format(BigInt(ask[1])),
      updateId: view.updateId,
      tsExchangeMs: view.tsExchangeMs,
      tsLocalNs: receivedAtNs,
      raw: undefined,
    })
  }

  /**
   * One frame: parsed, validated and (for `book.d`) applied to the pure book state first; any failure there is a
   * counted `MalformedFrameError` emitted as `malformed`, never thrown. Events are emitted afterwards.
   */
  private onMessage(text: string, receivedAtNs: bigint): void {
    this.framesReceived++
    let action: MarketDataAction
    try {
      action = this.readFrame(text, receivedAtNs)
    } catch (error) {
      this.malformedFrames++
      ;(this as unknown as EventEmitter<GrvtMarketDataEvents>).emit(
        'malformed',
        error instanceof MalformedFrameError
          ? error
          : new MalformedFrameError({ venue: 'grvt', field: '<frame>', reason: 'could not be read', cause: error }),
      )
      return
    }
    if (action.kind === 'ignored') {
      this.ignoredFrames++
      return
    }
    if (action.kind === 'trade') {
      this.emit('trade', action.trade)
      return
    }
    const { book, outcome } = action
    // duplicates and frames between a resync and its snapshot change nothing: counted as ignored
    if (outcome === 'stale' || outcome === 'ignored') this.ignoredFrames++
    if (outcome === 'synced') {
      for (const resolve of this.syncWaiters.get(book.instrument) ?? []) resolve()
      this.syncWaiters.delete(book.instrument)
    }
    if (outcome === 'synced' || outcome === 'applied') {
      this.emit('book', book.view())
      if (this.bboInstruments.has(book.instrument)) this.emitBbo(book, receivedAtNs)
    }
    if (outcome === 'resync') {
      this.emit('resync', {
        symbol: book.instrument,
        reason: book.lastResyncReason ?? 'gap',
        resyncCount: book.resyncCount,
      })
      this.sendSubscribe('unsubscribe', book.instrument)
      this.sendSubscribe('subscribe', book.instrument)
    }
  }

  private readFrame(text: string, receivedAtNs: bigint): MarketDataAction {
    let frame: unknown
    try {
      frame = JSON.parse(text)
    } catch (error) {
      throw new MalformedFrameError({ venue: 'grvt', field: '<frame>', reason: 'is not valid JSON', cause: error })
    }
    const o = readGrvtObject(frame, '<frame>')
    if ('id' in o) return { kind: 'ignored' } // subscribe / unsubscribe acknowledgements
    const feedFrame = o.params !== undefined ? readGrvtObject(o.params, 'params') : o
    if (feedFrame.stream === 'v1.trade') return { kind: 'trade', trade: parseGrvtTrade(feedFrame.feed, receivedAtNs) }
    if (feedFrame.stream !== 'v1.book.d') return { kind: 'ignored' }
    const message = parseGrvtBook(feedFrame)
    const book = this.books_.get(message.feed.instrument)
    if (!book) return { kind: 'ignored' }
    return { kind: 'book', book, outcome: book.onMessage(message) }
  }
}

type MarketDataAction =
  | { kind: 'ignored' }
  | { kind: 'trade'; trade: Trade }
  | { kind: 'book'; book: GrvtDepthBook; outcome: GrvtDepthBookOutcome }
