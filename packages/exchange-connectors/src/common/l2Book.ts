import type { BookLevel } from './types/marketData.js'

/**
 * An L2 book keyed by integer price ticks with integer sizes in lots (multiples of the step size).
 *
 * Each side is a pair of parallel sorted arrays arranged so the BEST level is the LAST element (bids ascending, asks
 * descending): updates cluster near the touch, so inserts and deletes splice near the end and move few elements.
 * Integers are JS numbers (exact below 2^53; the parsers reject anything larger). A size of 0 deletes the level;
 * deleting an absent level is a no-op (Binance sends such deletes routinely). Zero-size levels are never stored.
 */
export class L2Book {
  private readonly bidTicks: number[] = []
  private readonly bidLots: number[] = []
  private readonly askTicks: number[] = []
  private readonly askLots: number[] = []

  /** Removes every level. */
  clear(): void {
    this.bidTicks.length = 0
    this.bidLots.length = 0
    this.askTicks.length = 0
    this.askLots.length = 0
  }

  /** Sets a bid level to `sizeLots` (0 deletes). */
  setBid(priceTicks: number, sizeLots: number): void {
    const ticks = this.bidTicks
    const lots = this.bidLots
    // ascending; search from the end (best) is typical, binary search is general
    let lo = 0
    let hi = ticks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (ticks[mid]! < priceTicks) lo = mid + 1
      else hi = mid
    }
    if (lo < ticks.length && ticks[lo] === priceTicks) {
      if (sizeLots === 0) {
        ticks.splice(lo, 1)
        lots.splice(lo, 1)
      } else lots[lo] = sizeLots
    } else if (sizeLots !== 0) {
      if (lo === ticks.length) {
        ticks.push(priceTicks)
        lots.push(sizeLots)
      } else {
        ticks.splice(lo, 0, priceTicks)
        lots.splice(lo, 0, sizeLots)
      }
    }
  }

  /** Sets an ask level to `sizeLots` (0 deletes). */
  setAsk(priceTicks: number, sizeLots: number): void {
    const ticks = this.askTicks
    const lots = this.askLots
    // descending
    let lo = 0
    let hi = ticks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (ticks[mid]! > priceTicks) lo = mid + 1
      else hi = mid
    }
    if (lo < ticks.length && ticks[lo] === priceTicks) {
      if (sizeLots === 0) {
        ticks.splice(lo, 1)
        lots.splice(lo, 1)
      } else lots[lo] = sizeLots
    } else if (sizeLots !== 0) {
      if (lo === ticks.length) {
        ticks.push(priceTicks)
        lots.push(sizeLots)
      } else {
        ticks.splice(lo, 0, priceTicks)
        lots.splice(lo, 0, sizeLots)
      }
    }
  }

  get bidDepth(): number {
    return this.bidTicks.length
  }

  get askDepth(): number {
    return this.askTicks.length
  }

  /** Best bid price in ticks, or `undefined` when the side is empty. */
  bestBidTicks(): number | undefined {
    return this.bidTicks[this.bidTicks.length - 1]
  }

  bestBidLots(): number | undefined {
    return this.bidLots[this.bidLots.length - 1]
  }

  bestAskTicks(): number | undefined {
    return this.askTicks[this.askTicks.length - 1]
  }

  bestAskLots(): number | undefined {
    return this.askLots[this.askLots.length - 1]
  }

  /** Size at a bid price (0 when absent). */
  bidLotsAt(priceTicks: number): number {
    const i = this.bidTicks.lastIndexOf(priceTicks)
    return i === -1 ? 0 : this.bidLots[i]!
  }

  /** Size at an ask price (0 when absent). */
  askLotsAt(priceTicks: number): number {
    const i = this.askTicks.lastIndexOf(priceTicks)
    return i === -1 ? 0 : this.askLots[i]!
  }

  /** Top `depth` bid levels, best first. */
  bids(depth = Number.POSITIVE_INFINITY): BookLevel[] {
    return top(this.bidTicks, this.bidLots, depth)
  }

  /** Top `depth` ask levels, best first. */
  asks(depth = Number.POSITIVE_INFINITY): BookLevel[] {
    return top(this.askTicks, this.askLots, depth)
  }

  /**
   * O(1) check run after every applied event: the book is not crossed. Returns `undefined` when it holds.
   * (Sorted order and positive sizes hold by construction: a size of 0 deletes, parsers reject negatives.)
   */
  checkCrossed(): { invariant: 'crossed'; detail: string } | undefined {
    const bid = this.bidTicks[this.bidTicks.length - 1]
    const ask = this.askTicks[this.askTicks.length - 1]
    if (bid !== undefined && ask !== undefined && bid >= ask)
      return { invariant: 'crossed', detail: `best bid ${bid} ticks >= best ask ${ask} ticks` }
    return undefined
  }

  /** O(n) audit of every invariant (crossed, zero/negative sizes, strict ordering); for tests and periodic audits. */
  audit(): { invariant: 'crossed' | 'zero-size-level' | 'unsorted'; detail: string } | undefined {
    const crossed = this.checkCrossed()
    if (crossed) return crossed
    for (const lots of this.bidLots)
      if (!(lots > 0)) return { invariant: 'zero-size-level', detail: `bid size ${lots}` }
    for (const lots of this.askLots)
      if (!(lots > 0)) return { invariant: 'zero-size-level', detail: `ask size ${lots}` }
    for (let i = 1; i < this.bidTicks.length; i++)
      if (!(this.bidTicks[i - 1]! < this.bidTicks[i]!)) return { invariant: 'unsorted', detail: `bids at ${i}` }
    for (let i = 1; i < this.askTicks.length; i++)
      if (!(this.askTicks[i - 1]! > this.askTicks[i]!)) return { invariant: 'unsorted', detail: `asks at ${i}` }
    return undefined
  }
}

function top(ticks: number[], lots: number[], depth: number): BookLevel[] {
  const out: BookLevel[] = []
  for (let i = ticks.length - 1; i >= 0 && out.length < depth; i--) out.push([ticks[i]!, lots[i]!])
  return out
}
