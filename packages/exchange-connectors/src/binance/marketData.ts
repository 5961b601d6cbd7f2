import { EventEmitter } from 'eventemitter3'
import { AsyncQueue } from '../common/asyncQueue.js'
import { computeBackoffMs } from '../common/backoff.js'
import { sleepOn } from '../common/clock.js'
import type { MarketDataClient, MarketDataEvents, MarketDataMetrics } from '../common/marketDataClient.js'
import type { ConnectionHealthEvent } from '../common/types/health.js'
import type { Bbo, OrderBookView, Trade } from '../common/types/marketData.js'
import { MalformedFrameError } from '../errors/transport.js'
import { type BinanceConnectorConfig, protectConfig } from './config.js'
import { BinanceDepthBook } from './depthBook.js'
import type { BinanceHttpClient } from './http/client.js'
import { getDepthSnapshot } from './http/market.js'
import type { BinanceInstrumentProvider } from './instruments.js'
import { parseBookTicker } from './parse/parseBookTicker.js'
import { parseDepthUpdate } from './parse/parseDepthUpdate.js'
import { parseTrade } from './parse/parseTrade.js'
import type { DepthUpdateWire } from './schemas/depth.js'
import { BinanceStreamClient } from './ws/client.js'
import { binanceStreams, usdmStreamPath } from './ws/streams.js'

type BookSlot = {
  book: BinanceDepthBook
  snapshotInFlight: boolean
  snapshotAttempts: number
  synced: Promise<void>
  resolveSynced: () => void
}

/**
 * Binance market data (USDⓈ-M or spot): sequence-checked L2 books (diff-depth + REST snapshot, resync on any gap),
 * BBO from `@bookTicker`, trades from `@aggTrade`. USDⓈ-M depth/bookTicker go to the `/public` path and aggTrade to
 * `/market`, each as one combined-stream connection. Malformed frames are counted and reported as health events;
 * they never throw out of a socket callback.
 */
export class BinanceMarketDataClient extends EventEmitter<MarketDataEvents> implements MarketDataClient {
  readonly venue: string
  private readonly config: BinanceConnectorConfig
  private readonly http: BinanceHttpClient
  private readonly instruments: BinanceInstrumentProvider
  private readonly sockets = new Map<string, BinanceStreamClient>()
  private readonly bookSlots = new Map<string, BookSlot>()
  /** Depth of views emitted on `book` events. */
  readonly bookEventDepth: number
  private malformedFrames = 0
  private framesReceived = 0
  private closed = false

  constructor(parameters: {
    config: BinanceConnectorConfig
    http: BinanceHttpClient
    instruments: BinanceInstrumentProvider
    bookEventDepth?: number
  }) {
    super()
    this.config = protectConfig(parameters.config)
    this.http = parameters.http
    this.instruments = parameters.instruments
    this.venue = parameters.http.venue
    this.bookEventDepth = parameters.bookEventDepth ?? 20
  }

  async subscribeBook(symbol: string): Promise<void> {
    let slot = this.bookSlots.get(symbol)
    if (!slot) {
      const instrument = this.instruments.get(symbol)
      let resolveSynced!: () => void
      const synced = new Promise<void>((resolve) => {
        resolveSynced = resolve
      })
      slot = {
        book: new BinanceDepthBook({
          venue: this.venue,
          symbol,
          rule: this.config.product,
          priceGrid: instrument.priceGrid,
          sizeGrid: this.instruments.bookSizeGrid(symbol),
        }),
        snapshotInFlight: false,
        snapshotAttempts: 0,
        synced,
        resolveSynced,
      }
      this.bookSlots.set(symbol, slot)
      // stream first (events buffer in the book), snapshot once the stream is live
      await this.socketFor(binanceStreams.depth(symbol)).subscribe([
        binanceStreams.depth(symbol, this.config.depthSpeed ?? '@100ms'),
      ])
      this.requestSnapshot(symbol)
    }
    return slot.synced
  }

  async subscribeBbo(symbol: string): Promise<void> {
    const stream = binanceStreams.bookTicker(symbol)
    await this.socketFor(stream).subscribe([stream])
  }

  async subscribeTrades(symbol: string): Promise<void> {
    const stream = binanceStreams.aggTrade(symbol)
    await this.socketFor(stream).subscribe([stream])
  }

  getBook(symbol: string, depth = this.bookEventDepth): OrderBookView | undefined {
    const slot = this.bookSlots.get(symbol)
    return slot?.book.isSynced ? slot.book.view(depth) : undefined
  }

  /** The depth book itself (for BBO derived from depth and for audits). */
  getDepthBook(symbol: string): BinanceDepthBook | undefined {
    return this.bookSlots.get(symbol)?.book
  }

  books(symbol: string): AsyncIterableIterator<OrderBookView> {
    return this.iterate('book', (b: OrderBookView) => b.symbol === symbol)
  }

  bbos(symbol: string): AsyncIterableIterator<Bbo> {
    return this.iterate('bbo', (b: Bbo) => b.symbol === symbol)
  }

  trades(symbol: string): AsyncIterableIterator<Trade> {
    return this.iterate('trade', (t: Trade) => t.symbol === symbol)
  }

  metrics(): MarketDataMetrics {
    const resyncCount: Record<string, number> = {}
    for (const [symbol, slot] of this.bookSlots) resyncCount[symbol] = slot.book.resyncCount
    return { resyncCount, malformedFrames: this.malformedFrames, framesReceived: this.framesReceived }
  }

  /** Forces every socket to reconnect (operator action; tests). */
  reconnectAll(reason: string): void {
    for (const socket of this.sockets.values()) socket.reconnectNow(reason)
  }

  /** What `JSON.stringify` prints: metrics only. */
  toJSON(): Record<string, unknown> {
    return { venue: this.venue, product: this.config.product, ...this.metrics() }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const socket of this.sockets.values()) socket.close()
    this.sockets.clear()
  }

  private iterate<E extends 'book' | 'bbo' | 'trade', T>(event: E, filter: (item: T) => boolean): AsyncQueue<T> {
    const listener = (item: T) => {
      if (filter(item)) queue.push(item)
    }
    const queue = new AsyncQueue<T>(10_000, () => this.off(event, listener as never))
    this.on(event, listener as never)
    return queue
  }

  private socketFor(stream: string): BinanceStreamClient {
    const path = this.config.product === 'usdm' ? usdmStreamPath(stream) : 'public'
    let socket = this.sockets.get(path)
    if (!socket) {
      const base = path === 'public' ? this.config.urls.wsPublicUrl : this.config.urls.wsMarketUrl
      socket = new BinanceStreamClient(`${this.venue}/${path}`, base, this.config, this.venue)
      socket.on('data', (name, data, _ms, ns) => this.onData(name, data, ns))
      socket.on('malformed', (_text, error) => this.onMalformed(`${this.venue}/${path}`, error))
      socket.on('health', (event) => this.emit('health', event))
      this.sockets.set(path, socket)
    }
    return socket
  }

  private onMalformed(connection: string, error: MalformedFrameError): void {
    this.malformedFrames++
    this.emit('health', { kind: 'error', connection, tsMs: this.config.clock.nowMs(), error })
  }

  /**
   * One combined-stream payload: counted in `framesReceived`, then either delivered (bbo, trade, applied to the book)
   * or counted in `malformedFrames` and reported as a `MalformedFrameError` health event. A listener that throws is
   * reported as a health error too (the frame itself was fine); nothing escapes to the socket.
   */
  private onData(stream: string, data: unknown, receivedAtNs: bigint): void {
    this.framesReceived++
    let deliver: () => void
    try {
      if (stream.includes('@depth')) {
        const event = parseDepthUpdate(data, this.venue)
        deliver = () => this.onDepth(stream, event)
      } else if (stream.endsWith('@bookTicker')) {
        const bbo = parseBookTicker(data, this.venue, receivedAtNs)
        deliver = () => this.emit('bbo', bbo)
      } else if (stream.endsWith('@aggTrade') || stream.endsWith('@trade')) {
        const trade = parseTrade(data, this.venue, receivedAtNs)
        deliver = () => this.emit('trade', trade)
      } else return
    } catch (error) {
      this.onMalformed(
        stream,
        error instanceof MalformedFrameError
          ? error
          : new MalformedFrameError({ venue: this.venue, field: stream, reason: 'could not be parsed', cause: error }),
      )
      return
    }
    try {
      deliver()
    } catch (error) {
      this.emit('health', {
        kind: 'error',
        connection: stream,
        tsMs: this.config.clock.nowMs(),
        error: error instanceof Error ? error : new Error(String(error)),
      })
    }
  }

  private onDepth(stream: string, event: DepthUpdateWire): void {
    const slot = this.bookSlots.get(event.s)
    if (!slot) return
    const malformedBefore = slot.book.malformedLevelCount
    const outcome = slot.book.onDepthUpdate(event)
    if (slot.book.malformedLevelCount !== malformedBefore)
      this.onMalformed(
        stream,
        new MalformedFrameError({
          venue: this.venue,
          field: 'b/a',
          reason: `has a level that is not [price, size] on the ${event.s} grids (book resyncs)`,
        }),
      )
    if (outcome === 'applied') {
      if (this.listenerCount('book') > 0) this.emit('book', slot.book.view(this.bookEventDepth))
    } else if (outcome === 'resync') this.onResync(event.s, slot)
  }

  private onResync(symbol: string, slot: BookSlot): void {
    this.emit('resync', {
      symbol,
      reason: slot.book.lastResyncReason ?? 'unknown',
      resyncCount: slot.book.resyncCount,
    })
    const health: ConnectionHealthEvent = {
      kind: 'resync',
      connection: `${this.venue}/book`,
      tsMs: this.config.clock.nowMs(),
      symbol,
      reason: slot.book.lastResyncReason ?? 'unknown',
    }
    this.emit('health', health)
    this.requestSnapshot(symbol)
  }

  /** Fetches a snapshot unless one is in flight; retries (with backoff) while the snapshot is older than the stream. */
  private requestSnapshot(symbol: string): void {
    const slot = this.bookSlots.get(symbol)
    if (!slot || slot.snapshotInFlight || this.closed) return
    slot.snapshotInFlight = true
    void this.fetchSnapshot(symbol, slot)
  }

  private async fetchSnapshot(symbol: string, slot: BookSlot): Promise<void> {
    try {
      for (;;) {
        if (this.closed) return
        if (slot.snapshotAttempts > 0)
          await sleepOn(
            this.config.clock,
            computeBackoffMs(slot.snapshotAttempts - 1, { baseMs: 50, maxMs: 5_000 }, this.config.random),
          )
        slot.snapshotAttempts++
        let snapshot: Awaited<ReturnType<typeof getDepthSnapshot>>
        try {
          snapshot = await getDepthSnapshot(this.http, this.config.product, symbol, this.config.snapshotLimit ?? 1000)
        } catch (error) {
          this.emit('health', {
            kind: 'error',
            connection: `${this.venue}/book`,
            tsMs: this.config.clock.nowMs(),
            error: error instanceof Error ? error : new Error(String(error)),
          })
          continue
        }
        if (slot.book.isSynced) return // a concurrent path synced it
        const outcome = slot.book.onSnapshot(snapshot)
        if (outcome === 'synced') {
          slot.snapshotAttempts = 0
          slot.resolveSynced()
          if (this.listenerCount('book') > 0) this.emit('book', slot.book.view(this.bookEventDepth))
          return
        }
      }
    } finally {
      slot.snapshotInFlight = false
      // an event may have broken the chain again while this snapshot was in flight
      if (!slot.book.isSynced && !this.closed) this.requestSnapshot(symbol)
    }
  }
}
