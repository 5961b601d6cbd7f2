import { EventEmitter } from 'eventemitter3'
import { AsyncQueue } from '../common/asyncQueue.js'
import type { Clock } from '../common/clock.js'
import { DecimalGrid } from '../common/decimal.js'
import type { MarketDataClient, MarketDataEvents, MarketDataMetrics } from '../common/marketDataClient.js'
import { ReconnectingSocket } from '../common/reconnectingSocket.js'
import type { Bbo, OrderBookView, Trade } from '../common/types/marketData.js'
import { MalformedFrameError } from '../errors/transport.js'
import { GrvtDepthBook } from './depthBook.js'
import type { GrvtHttpClient } from './http/client.js'
import { parseGrvtBook } from './schemas/book.js'

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

  metrics(): MarketDataMetrics {
    const resyncCount: Record<string, number> = {}
    for (const [name, book] of this.books_) resyncCount[name] = book.resyncCount
    return { resyncCount, malformedFrames: this.malformedFrames, framesReceived: this.framesReceived }
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

  private onTrade(feed: Record<string, unknown>, receivedAtNs: bigint): void {
    for (const key of ['instrument', 'price', 'size', 'trade_id', 'event_time'])
      if (typeof feed[key] !== 'string')
        throw new MalformedFrameError({ venue: 'grvt', field: `feed.${key}`, reason: 'is not a string' })
    this.emit('trade', {
      venue: 'grvt',
      symbol: feed.instrument as string,
      tradeId: feed.trade_id as string,
      price: feed.price as string,
      sizeBase: feed.size as string,
      side: feed.is_taker_buyer === true ? 'buy' : 'sell',
      tsExchangeMs: Number(BigInt(feed.event_time as string) / 1_000_000n),
      tsLocalNs: receivedAtNs,
      raw: feed,
    })
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

  private onMessage(text: string, receivedAtNs: bigint): void {
    this.framesReceived++
    try {
      let frame: Record<string, unknown>
      try {
        frame = JSON.parse(text) as Record<string, unknown>
      } catch (error) {
        throw new MalformedFrameError({ venue: 'grvt', field: '<frame>', reason: 'is not valid JSON', cause: error })
      }
      if (frame === null || typeof frame !== 'object')
        throw new MalformedFrameError({ venue: 'grvt', field: '<frame>', reason: 'is not an object' })
      if ('id' in frame) return // subscribe / unsubscribe acknowledgements
      const feedFrame = (frame.params && typeof frame.params === 'object' ? frame.params : frame) as Record<
        string,
        unknown
      >
      if (feedFrame.stream === 'v1.trade') {
        this.onTrade((feedFrame.feed ?? {}) as Record<string, unknown>, receivedAtNs)
        return
      }
      if (feedFrame.stream !== 'v1.book.d') return
      const message = parseGrvtBook(feedFrame)
      const book = this.books_.get(message.feed.instrument)
      if (!book) return
      const outcome = book.onMessage(message)
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
    } catch (error) {
      if (!(error instanceof MalformedFrameError)) throw error
      this.malformedFrames++
    }
  }
}
