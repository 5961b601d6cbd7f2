import type { EngineOrder, Side } from './types.js'

/** One price level: aggregated external (market-driver) size plus account orders in time priority. */
export type BookLevel = {
  priceTicks: bigint
  externalLots: bigint
  orders: EngineOrder[]
}

/** One side of a book keyed by integer price ticks, iterated best price first. */
export class BookSide {
  readonly side: Side
  private readonly levels = new Map<bigint, BookLevel>()
  /** Sorted best first: descending for bids, ascending for asks. */
  private readonly prices: bigint[] = []

  constructor(side: Side) {
    this.side = side
  }

  /** True when `a` is a better price than `b` on this side. */
  isBetter(a: bigint, b: bigint): boolean {
    return this.side === 'BUY' ? a > b : a < b
  }

  get(priceTicks: bigint): BookLevel | undefined {
    return this.levels.get(priceTicks)
  }

  getOrCreate(priceTicks: bigint): BookLevel {
    const existing = this.levels.get(priceTicks)
    if (existing) return existing
    const level: BookLevel = { priceTicks, externalLots: 0n, orders: [] }
    this.levels.set(priceTicks, level)
    let lo = 0
    let hi = this.prices.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const p = this.prices[mid] as bigint
      if (this.isBetter(p, priceTicks)) lo = mid + 1
      else hi = mid
    }
    this.prices.splice(lo, 0, priceTicks)
    return level
  }

  /** Drops the level when it holds neither external size nor orders. */
  pruneIfEmpty(level: BookLevel): void {
    if (level.externalLots > 0n || level.orders.length > 0) return
    this.levels.delete(level.priceTicks)
    let lo = 0
    let hi = this.prices.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const p = this.prices[mid] as bigint
      if (this.isBetter(p, level.priceTicks)) lo = mid + 1
      else hi = mid
    }
    if (this.prices[lo] === level.priceTicks) this.prices.splice(lo, 1)
  }

  best(): BookLevel | undefined {
    const p = this.prices[0]
    return p === undefined ? undefined : this.levels.get(p)
  }

  /** Best account-order level (skipping levels with external size only). */
  bestWithOrders(): BookLevel | undefined {
    for (const p of this.prices) {
      const level = this.levels.get(p)
      if (level && level.orders.length > 0) return level
    }
    return undefined
  }

  /** Best level holding external size. */
  bestExternal(): BookLevel | undefined {
    for (const p of this.prices) {
      const level = this.levels.get(p)
      if (level && level.externalLots > 0n) return level
    }
    return undefined
  }

  /**
   * Levels best first, down to `worstPriceTicks` inclusive when given (a copy, so the caller may mutate levels while iterating).
   */
  levelsBestFirst(worstPriceTicks?: bigint | null): BookLevel[] {
    const out: BookLevel[] = []
    for (const p of this.prices) {
      if (worstPriceTicks !== undefined && worstPriceTicks !== null && this.isBetter(worstPriceTicks, p)) break
      const level = this.levels.get(p)
      if (level) out.push(level)
    }
    return out
  }

  /** Top `depth` aggregated levels as [priceTicks, lots]. */
  top(depth: number): Array<[bigint, bigint]> {
    const out: Array<[bigint, bigint]> = []
    for (const p of this.prices) {
      if (out.length >= depth) break
      const level = this.levels.get(p)
      if (!level) continue
      const lots = levelLots(level)
      if (lots > 0n) out.push([p, lots])
    }
    return out
  }

  get size(): number {
    return this.prices.length
  }
}

/** Aggregated size of a level: external size plus the unfilled part of every order. */
export function levelLots(level: BookLevel): bigint {
  let lots = level.externalLots
  for (const o of level.orders) lots += o.origLots - o.executedLots
  return lots
}
