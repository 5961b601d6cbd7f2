import { type DecimalGrid, numberToDecimal } from '../common/decimal.js'
import { L2Book } from '../common/l2Book.js'
import type { OrderBookView } from '../common/types/marketData.js'
import type { DeribitBookLevelWire, DeribitBookWire } from './schemas/book.js'

/** What one book message did. `resync` means: unsubscribe and subscribe again to get a fresh snapshot. */
export type DeribitDepthBookOutcome = 'synced' | 'applied' | 'stale' | 'ignored' | 'resync'

/**
 * Deribit `book.{instrument}.100ms` maintenance, pure (no I/O, no clock). The first message after subscribing is a
 * full snapshot; every change must carry `prev_change_id` equal to the previous message's `change_id`. A change whose
 * `change_id` is not newer than the last one is a duplicate (`stale`). A break in the chain, a price/amount off the
 * instrument grid or a crossed book → `resync` (book cleared; changes are `ignored` until the next snapshot).
 * Deribit sends prices and amounts as JSON numbers: each is converted to ticks/lots through its shortest decimal
 * representation and must lie exactly on the grid.
 */
export class DeribitDepthBook {
  readonly instrumentName: string
  readonly book = new L2Book()
  resyncCount = 0
  lastResyncReason: string | undefined
  private synced = false
  private lastChangeId = 0
  private lastTimestampMs = 0
  private readonly priceGrid: DecimalGrid
  private readonly sizeGrid: DecimalGrid
  private readonly pricePow: number
  private readonly priceInc: number
  private readonly sizePow: number
  private readonly sizeInc: number

  constructor(parameters: { instrumentName: string; priceGrid: DecimalGrid; sizeGrid: DecimalGrid }) {
    this.instrumentName = parameters.instrumentName
    this.priceGrid = parameters.priceGrid
    this.sizeGrid = parameters.sizeGrid
    this.pricePow = 10 ** parameters.priceGrid.scale
    this.priceInc = Number(parameters.priceGrid.incrementScaled)
    this.sizePow = 10 ** parameters.sizeGrid.scale
    this.sizeInc = Number(parameters.sizeGrid.incrementScaled)
  }

  get isSynced(): boolean {
    return this.synced
  }

  /** `change_id` of the last applied message. */
  get changeId(): number {
    return this.lastChangeId
  }

  /** Feeds one validated book message. */
  onMessage(message: DeribitBookWire): DeribitDepthBookOutcome {
    if (message.type === 'snapshot') {
      this.book.clear()
      if (!this.applyLevels(message)) return this.resync('snapshot off the instrument grid')
      this.synced = true
      this.lastChangeId = message.change_id
      this.lastTimestampMs = message.timestamp
      if (this.book.checkCrossed()) return this.resync('crossed snapshot')
      return 'synced'
    }
    if (!this.synced) return 'ignored'
    if (message.change_id <= this.lastChangeId) return 'stale'
    if (message.prev_change_id !== this.lastChangeId)
      return this.resync(`prev_change_id ${String(message.prev_change_id)} ≠ last change_id ${this.lastChangeId}`)
    if (!this.applyLevels(message)) return this.resync('change off the instrument grid')
    this.lastChangeId = message.change_id
    this.lastTimestampMs = message.timestamp
    const crossed = this.book.checkCrossed()
    if (crossed) return this.resync(crossed.detail)
    return 'applied'
  }

  /** Forgets the book (e.g. after a disconnect) until the next snapshot. */
  reset(reason: string): void {
    this.resync(reason)
  }

  /** Top `depth` levels each side. */
  view(depth = 20): OrderBookView {
    return {
      venue: 'deribit',
      symbol: this.instrumentName,
      updateId: this.lastChangeId,
      tsExchangeMs: this.lastTimestampMs,
      bids: this.book.bids(depth),
      asks: this.book.asks(depth),
    }
  }

  private resync(reason: string): 'resync' {
    this.book.clear()
    this.synced = false
    this.resyncCount += 1
    this.lastResyncReason = reason
    return 'resync'
  }

  private toInt(grid: DecimalGrid, value: number): number | undefined {
    // Fast path: k = round(value / increment) in floating point, accepted only when k · increment (an exact integer
    // divided by 10^scale, hence correctly rounded) is the very same double as the wire number; otherwise exact path.
    const pow = grid === this.priceGrid ? this.pricePow : this.sizePow
    const inc = grid === this.priceGrid ? this.priceInc : this.sizeInc
    const k = Math.round((value * pow) / inc)
    if (Number.isSafeInteger(k * inc) && (k * inc) / pow === value) return k
    const decimal = numberToDecimal(value)
    const ticks = grid.roundToTicks(decimal, 'nearest')
    const back = ticks * grid.incrementScaled * 10n ** BigInt(decimal.scale)
    if (back !== decimal.mantissa * 10n ** BigInt(grid.scale)) return undefined
    return Number(ticks)
  }

  private applyLevels(message: DeribitBookWire): boolean {
    const apply = (levels: readonly DeribitBookLevelWire[], set: (t: number, l: number) => void): boolean => {
      for (const [action, price, amount] of levels) {
        const ticks = this.toInt(this.priceGrid, price)
        const lots = action === 'delete' ? 0 : this.toInt(this.sizeGrid, amount)
        if (ticks === undefined || lots === undefined) return false
        set(ticks, lots)
      }
      return true
    }
    return (
      apply(message.bids, (t, l) => this.book.setBid(t, l)) && apply(message.asks, (t, l) => this.book.setAsk(t, l))
    )
  }
}
