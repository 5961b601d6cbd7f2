import type { DecimalGrid } from '../common/decimal.js'
import { L2Book } from '../common/l2Book.js'
import { parseScaledInt } from '../common/parseScaledInt.js'
import type { OrderBookView } from '../common/types/marketData.js'
import type { GrvtBookLevelWire, GrvtBookWire } from './schemas/book.js'

/** What one `book.d` message did. `resync` means: unsubscribe and subscribe again for a fresh snapshot. */
export type GrvtDepthBookOutcome = 'synced' | 'applied' | 'stale' | 'ignored' | 'resync'

/**
 * GRVT `v1.book.d` maintenance, pure. The first message after subscribing is a full snapshot (its levels replace the
 * book); each later message must have `sequence_number` = previous + 1 (and `prev_sequence_number`, when present,
 * = the previous `sequence_number`). A number not above the last is a duplicate (`stale`, ignored); a jump, a level
 * off the grid or a crossed book → `resync`.
 */
export class GrvtDepthBook {
  readonly instrument: string
  readonly book = new L2Book()
  resyncCount = 0
  lastResyncReason: string | undefined
  private state: 'awaitingSnapshot' | 'synced' | 'broken' = 'awaitingSnapshot'
  private lastSequence = 0n
  private lastEventTimeNs = 0n
  readonly priceGrid: DecimalGrid
  readonly sizeGrid: DecimalGrid

  constructor(parameters: { instrument: string; priceGrid: DecimalGrid; sizeGrid: DecimalGrid }) {
    this.instrument = parameters.instrument
    this.priceGrid = parameters.priceGrid
    this.sizeGrid = parameters.sizeGrid
  }

  get isSynced(): boolean {
    return this.state === 'synced'
  }

  get sequenceNumber(): bigint {
    return this.lastSequence
  }

  /** Call after (re)subscribing: the next message is taken as the snapshot. */
  expectSnapshot(): void {
    this.book.clear()
    this.state = 'awaitingSnapshot'
  }

  onMessage(message: GrvtBookWire): GrvtDepthBookOutcome {
    if (this.state === 'broken') return 'ignored'
    if (this.state === 'awaitingSnapshot') {
      this.book.clear()
      if (!this.applyLevels(message)) return this.resync('snapshot off the instrument grid')
      this.state = 'synced'
      this.lastSequence = message.sequence_number
      this.lastEventTimeNs = message.feed.event_time
      if (this.book.checkCrossed()) return this.resync('crossed snapshot')
      return 'synced'
    }
    if (message.sequence_number <= this.lastSequence) return 'stale'
    if (message.sequence_number !== this.lastSequence + 1n)
      return this.resync(`sequence_number ${message.sequence_number} after ${this.lastSequence}`)
    if (message.prev_sequence_number !== undefined && message.prev_sequence_number !== this.lastSequence)
      return this.resync(`prev_sequence_number ${message.prev_sequence_number} ≠ ${this.lastSequence}`)
    if (!this.applyLevels(message)) return this.resync('delta off the instrument grid')
    this.lastSequence = message.sequence_number
    this.lastEventTimeNs = message.feed.event_time
    const crossed = this.book.checkCrossed()
    if (crossed) return this.resync(crossed.detail)
    return 'applied'
  }

  /** Forgets the book until a resubscribe (`expectSnapshot`). */
  reset(reason: string): void {
    this.resync(reason)
  }

  view(depth = 20): OrderBookView {
    return {
      venue: 'grvt',
      symbol: this.instrument,
      updateId: Number(this.lastSequence),
      tsExchangeMs: Number(this.lastEventTimeNs / 1_000_000n),
      bids: this.book.bids(depth),
      asks: this.book.asks(depth),
    }
  }

  private resync(reason: string): 'resync' {
    this.book.clear()
    this.state = 'broken'
    this.resyncCount += 1
    this.lastResyncReason = reason
    return 'resync'
  }

  private applyLevels(message: GrvtBookWire): boolean {
    const apply = (levels: readonly GrvtBookLevelWire[], set: (t: number, l: number) => void): boolean => {
      for (const level of levels) {
        const ticks = this.exact(this.priceGrid, level.price)
        const lots = this.exact(this.sizeGrid, level.size)
        if (ticks === undefined || lots === undefined) return false
        set(ticks, lots)
      }
      return true
    }
    return (
      apply(message.feed.bids, (t, l) => this.book.setBid(t, l)) &&
      apply(message.feed.asks, (t, l) => this.book.setAsk(t, l))
    )
  }

  /** Exact integer count of grid increments in a decimal string, or undefined when off the grid. */
  private exact(grid: DecimalGrid, value: string): number | undefined {
    const scaled = parseScaledInt(value, grid.scale)
    if (Number.isNaN(scaled)) return undefined
    const inc = Number(grid.incrementScaled)
    return scaled % inc === 0 ? scaled / inc : undefined
  }
}
