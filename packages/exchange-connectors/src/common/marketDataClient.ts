import type { EventEmitter } from 'eventemitter3'
import type { ConnectionHealthEvent } from './types/health.js'
import type { Bbo, OrderBookView, Trade } from './types/marketData.js'

/** A book resync: the local book was discarded and is being rebuilt from a snapshot. */
export type BookResyncEvent = { readonly symbol: string; readonly reason: string; readonly resyncCount: number }

/** Typed events of a market-data client. */
export type MarketDataEvents = {
  /** The book changed (top levels, best first; sizes/prices as integer lots/ticks on the instrument grid). */
  book: (book: OrderBookView) => void
  /** Best bid/offer changed (from the venue's BBO stream). */
  bbo: (bbo: Bbo) => void
  trade: (trade: Trade) => void
  resync: (event: BookResyncEvent) => void
  health: (event: ConnectionHealthEvent) => void
}

/** Counters exposed as metrics. */
export type MarketDataMetrics = {
  /** Resyncs per symbol since start. */
  readonly resyncCount: Readonly<Record<string, number>>
  /** Frames that failed validation and were dropped. */
  readonly malformedFrames: number
  readonly framesReceived: number
}

/** Venue-neutral market data. The hedger depends only on this interface. */
export interface MarketDataClient {
  /** Subscribes to the sequence-checked L2 book; resolves once the book is synced. */
  subscribeBook(symbol: string): Promise<void>
  subscribeBbo(symbol: string): Promise<void>
  subscribeTrades(symbol: string): Promise<void>
  on<E extends keyof MarketDataEvents>(event: E, listener: EventEmitter.EventListener<MarketDataEvents, E>): this
  off<E extends keyof MarketDataEvents>(event: E, listener: EventEmitter.EventListener<MarketDataEvents, E>): this
  /** Async iterators over the same events (bounded; oldest dropped when the consumer lags). */
  books(symbol: string): AsyncIterableIterator<OrderBookView>
  bbos(symbol: string): AsyncIterableIterator<Bbo>
  trades(symbol: string): AsyncIterableIterator<Trade>
  /** Current book (undefined until synced). */
  getBook(symbol: string, depth?: number): OrderBookView | undefined
  metrics(): MarketDataMetrics
  close(): Promise<void>
}
