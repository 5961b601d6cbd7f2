import type { DecimalGrid } from '../common/decimal.js'
import { L2Book } from '../common/l2Book.js'
import { parseScaledInt } from '../common/parseScaledInt.js'
import type { Bbo, OrderBookView } from '../common/types/marketData.js'
import type { DepthSnapshotWire, DepthUpdateWire } from './schemas/depth.js'

/** Which Binance diff-depth rule applies: USDⓈ-M futures (`pu` chaining) or spot (`U = previous u + 1`). */
export type DepthRule = 'usdm' | 'spot'

/** What happened to one event or snapshot. `resync` means: fetch a new REST snapshot and call `onSnapshot`. */
export type DepthBookOutcome = 'buffered' | 'applied' | 'stale' | 'synced' | 'resync'

export type DepthBookParameters = {
  venue: string
  symbol: string
  rule: DepthRule
  priceGrid: DecimalGrid
  sizeGrid: DecimalGrid
  /** Max events buffered while waiting for a snapshot before the oldest are dropped (they are stale by then). */
  maxBufferedEvents?: number
}

/**
 * Binance local order book maintenance, pure (no I/O, no clock).
 *
 * USDⓈ-M ("How to manage a local order book correctly"): buffer events; take a REST snapshot (`lastUpdateId` = L);
 * drop events with `u < L`; the first applied event must have `U ≤ L ≤ u` (or `pu = L`, as ccxt also accepts); every next event must have `pu` = the
 * previous event's `u`; anything else → resync (clear, rebuffer, new snapshot). An event with `u` ≤ the last applied
 * `u` (a duplicate) is ignored as stale: every update in it is already in the book.
 * Spot: drop `u ≤ L`; the first applied event must have `U ≤ L + 1 ≤ u`; then `U` = previous `u` + 1.
 * A snapshot older than the first buffered event (`L < U − 1` on spot, `L < U` on futures) asks for another snapshot.
 * After every applied event the book must not be crossed; a crossed book or a malformed level also forces a resync.
 */
export class BinanceDepthBook {
  readonly venue: string
  readonly symbol: string
  readonly rule: DepthRule
  readonly book = new L2Book()
  readonly priceGrid: DecimalGrid
  readonly sizeGrid: DecimalGrid
  /** Number of resyncs since construction (the metric exposed by the market-data client). */
  resyncCount = 0
  /** Why the last resync happened. */
  lastResyncReason: string | undefined
  /** Events and snapshots rejected for a level that is not `[price, size]` decimal strings on the grids (metric). */
  malformedLevelCount = 0
  private state: 'awaitingSnapshot' | 'firstEvent' | 'synced' = 'awaitingSnapshot'
  private buffer: DepthUpdateWire[] = []
  private readonly maxBufferedEvents: number
  private snapshotId = 0
  private lastFinalId = 0
  private lastEventMs = 0
  private readonly priceScale: number
  private readonly priceStep: number
  private readonly sizeScale: number
  private readonly sizeStep: number

  constructor(parameters: DepthBookParameters) {
    this.venue = parameters.venue
    this.symbol = parameters.symbol
    this.rule = parameters.rule
    this.priceGrid = parameters.priceGrid
    this.sizeGrid = parameters.sizeGrid
    this.maxBufferedEvents = parameters.maxBufferedEvents ?? 10_000
    this.priceScale = parameters.priceGrid.scale
    this.priceStep = Number(parameters.priceGrid.incrementScaled)
    this.sizeScale = parameters.sizeGrid.scale
    this.sizeStep = Number(parameters.sizeGrid.incrementScaled)
  }

  /** True once a snapshot and the events after it form an unbroken chain. */
  get isSynced(): boolean {
    return this.state !== 'awaitingSnapshot'
  }

  /** Final update id of the last applied event (or the snapshot's `lastUpdateId`). */
  get updateId(): number {
    return this.lastFinalId
  }

  /** Feeds one diff-depth event (already envelope-validated by `parseDepthUpdate`). */
  onDepthUpdate(event: DepthUpdateWire): DepthBookOutcome {
    if (this.state === 'awaitingSnapshot') {
      this.buffer.push(event)
      if (this.buffer.length > this.maxBufferedEvents) this.buffer.shift()
      return 'buffered'
    }
    if (this.state === 'firstEvent') {
      const L = this.snapshotId
      if (this.rule === 'usdm' ? event.u < L : event.u <= L) return 'stale'
      // USDⓈ-M also accepts pu = L: the event continues exactly from the snapshot state (quiet book: the snapshot
      // is as of the last published event, so the next event starts after it)
      const ok =
        this.rule === 'usdm' ? (event.U <= L && L <= event.u) || event.pu === L : event.U <= L + 1 && L + 1 <= event.u
      if (!ok) return this.startResync(`first event U=${event.U} u=${event.u} does not straddle snapshot ${L}`, event)
      return this.apply(event)
    }
    // a duplicate (or an already-covered event) changes nothing: all its updates have ids ≤ u ≤ the applied u
    if (event.u <= this.lastFinalId) return 'stale'
    const ok = this.rule === 'usdm' ? event.pu === this.lastFinalId : event.U === this.lastFinalId + 1
    if (!ok)
      return this.startResync(
        this.rule === 'usdm'
          ? `gap: pu=${String(event.pu)} != previous u=${this.lastFinalId}`
          : `gap: U=${event.U} != previous u+1=${this.lastFinalId + 1}`,
        event,
      )
    return this.apply(event)
  }

  /**
   * Installs a REST snapshot and replays the buffered events. Returns `synced`, or `resync` when the snapshot is older
   * than the buffered stream (fetch another) or the buffered chain is broken.
   */
  onSnapshot(snapshot: DepthSnapshotWire): DepthBookOutcome {
    const L = snapshot.lastUpdateId
    const pending = this.buffer.filter((e) => (this.rule === 'usdm' ? e.u >= L : e.u > L))
    const first = pending[0]
    if (first && (this.rule === 'usdm' ? first.U > L && first.pu !== L : first.U > L + 1)) {
      this.buffer = pending
      this.lastResyncReason = `snapshot ${L} older than first buffered event U=${first.U}`
      return 'resync'
    }
    this.book.clear()
    if (!this.applyLevels(snapshot.bids, true) || !this.applyLevels(snapshot.asks, false)) {
      this.malformedLevelCount++
      this.book.clear()
      this.buffer = pending
      this.lastResyncReason = 'malformed snapshot level'
      return 'resync'
    }
    this.snapshotId = L
    this.lastFinalId = L
    this.lastEventMs = snapshot.T ?? snapshot.E ?? 0
    this.state = 'firstEvent'
    this.buffer = []
    for (let i = 0; i < pending.length; i++) {
      if (this.onDepthUpdate(pending[i]!) === 'resync') {
        // keep the events after the break: they are newer than the one that started the resync
        for (let j = i + 1; j < pending.length; j++) this.buffer.push(pending[j]!)
        return 'resync'
      }
    }
    return 'synced'
  }

  /** Forgets the book and starts buffering (e.g. after a reconnect). Counts as a resync. */
  reset(reason: string): void {
    this.book.clear()
    this.buffer = []
    this.state = 'awaitingSnapshot'
    this.resyncCount++
    this.lastResyncReason = reason
  }

  /** Best bid/offer as decimal strings, or `undefined` when not synced or a side is empty. */
  bbo(): Bbo | undefined {
    if (!this.isSynced) return undefined
    const bid = this.book.bestBidTicks()
    const ask = this.book.bestAskTicks()
    if (bid === undefined || ask === undefined) return undefined
    return {
      venue: this.venue,
      symbol: this.symbol,
      bidPrice: this.priceGrid.format(BigInt(bid)),
      bidSizeBase: this.sizeGrid.format(BigInt(this.book.bestBidLots()!)),
      askPrice: this.priceGrid.format(BigInt(ask)),
      askSizeBase: this.sizeGrid.format(BigInt(this.book.bestAskLots()!)),
      updateId: this.lastFinalId,
      tsExchangeMs: this.lastEventMs,
      tsLocalNs: 0n,
      raw: undefined,
    }
  }

  /** Top `depth` levels per side (integer ticks/lots), best first. */
  view(depth: number): OrderBookView {
    return {
      venue: this.venue,
      symbol: this.symbol,
      updateId: this.lastFinalId,
      tsExchangeMs: this.lastEventMs,
      bids: this.book.bids(depth),
      asks: this.book.asks(depth),
    }
  }

  private apply(event: DepthUpdateWire): DepthBookOutcome {
    if (!this.applyLevels(event.b, true) || !this.applyLevels(event.a, false)) {
      this.malformedLevelCount++
      return this.startResync(`malformed level in event u=${event.u}`, undefined)
    }
    const crossed = this.book.checkCrossed()
    if (crossed) return this.startResync(`invariant ${crossed.invariant}: ${crossed.detail}`, undefined)
    this.lastFinalId = event.u
    this.lastEventMs = event.E
    this.state = 'synced'
    return 'applied'
  }

  private startResync(reason: string, keep: DepthUpdateWire | undefined): DepthBookOutcome {
    this.reset(reason)
    if (keep) this.buffer.push(keep)
    return 'resync'
  }

  /** Applies `[price, size]` string pairs; returns false on the first malformed level. */
  private applyLevels(levels: unknown, isBid: boolean): boolean {
    if (!Array.isArray(levels)) return false
    const book = this.book
    const priceScale = this.priceScale
    const priceStep = this.priceStep
    const sizeScale = this.sizeScale
    const sizeStep = this.sizeStep
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]
      if (!Array.isArray(level)) return false
      const p = level[0]
      const q = level[1]
      if (typeof p !== 'string' || typeof q !== 'string') return false
      let ticks = parseScaledInt(p, priceScale)
      let lots = parseScaledInt(q, sizeScale)
      if (priceStep !== 1) ticks /= priceStep
      if (sizeStep !== 1) lots /= sizeStep
      // NaN and off-grid values both fail Number.isInteger
      if (!Number.isInteger(ticks) || !Number.isInteger(lots)) return false
      if (isBid) book.setBid(ticks, lots)
      else book.setAsk(ticks, lots)
    }
    return true
  }
}
