import type { MatchingEngine } from '../matching/MatchingEngine.js'
import type { EngineOrder, Fill, Side } from '../matching/types.js'

/** One print of the instrument's tape: an account fill or an external (replayed / simulated) trade. */
export type RecordedTrade = {
  tradeId: number
  tsMs: number
  symbol: string
  priceTicks: bigint
  lots: bigint
  takerSide: Side
  external: boolean
}

/** One fill of one account's order, with the order as it was right after the fill. */
export type RecordedFill = { tsMs: number; order: Readonly<EngineOrder>; fill: Fill }

/** OHLCV bucket built from the tape; prices in ticks, volume in lots, `quoteTickLots` = Σ priceTicks · lots. */
export type HistoryCandle = {
  openMs: number
  /** Σ of the `measure` callback over the bucket's prints (0 without one). */
  measured: bigint
  open: bigint
  high: bigint
  low: bigint
  close: bigint
  volumeLots: bigint
  quoteTickLots: bigint
}

export type EngineHistoryOptions = {
  /** Trades kept per symbol, fills and closed orders kept per account (oldest dropped first). Default 100 000. */
  maxEntries?: number | undefined
}

const FINAL_STATUSES = new Set(['FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH'])

/**
 * What an emulator traded, for its history endpoints (last trades, user trades, order history, candles, 24 h stats).
 * It listens to the engine's events from construction on; entries are copies, so later engine changes do not alter them.
 */
export class EngineHistory {
  private readonly tape = new Map<string, RecordedTrade[]>()
  private readonly fillsByAccount = new Map<string, RecordedFill[]>()
  private readonly closedByAccount = new Map<string, Readonly<EngineOrder>[]>()
  private readonly maxEntries: number
  private readonly unsubscribe: () => void

  constructor(engine: MatchingEngine, options: EngineHistoryOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000
    this.unsubscribe = engine.onEvent((event) => {
      if (event.kind === 'trade') {
        push(this.tape, event.symbol, this.maxEntries, {
          tradeId: event.tradeId,
          tsMs: event.tsMs,
          symbol: event.symbol,
          priceTicks: event.priceTicks,
          lots: event.lots,
          takerSide: event.takerSide,
          external: event.external,
        })
      } else if (event.kind === 'order') {
        const order = { ...event.order }
        if (event.fill)
          push(this.fillsByAccount, order.accountId, this.maxEntries, { tsMs: event.tsMs, order, fill: event.fill })
        if (FINAL_STATUSES.has(order.status)) push(this.closedByAccount, order.accountId, this.maxEntries, order)
      }
    })
  }

  /** Stops recording. */
  close(): void {
    this.unsubscribe()
  }

  /** The tape of `symbol`, oldest first. */
  trades(symbol: string): readonly RecordedTrade[] {
    return this.tape.get(symbol) ?? []
  }

  /** The prints of `symbol` at or after `sinceMs` (binary search: the tape is in clock order). */
  tradesSince(symbol: string, sinceMs: number): readonly RecordedTrade[] {
    const tape = this.trades(symbol)
    let lo = 0
    let hi = tape.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((tape[mid]?.tsMs ?? 0) < sinceMs) lo = mid + 1
      else hi = mid
    }
    return tape.slice(lo)
  }

  /** The account's fills, oldest first. */
  fills(accountId: string): readonly RecordedFill[] {
    return this.fillsByAccount.get(accountId) ?? []
  }

  /** The account's orders that reached a final state (filled, cancelled, expired), in the order they closed. */
  closedOrders(accountId: string): readonly Readonly<EngineOrder>[] {
    return this.closedByAccount.get(accountId) ?? []
  }

  /**
   * Candles of `intervalMs` whose open time is in [startMs, endMs], from the first traded bucket on; a bucket without
   * trades after the first one repeats the previous close with zero volume (what venues chart).
   */
  candles(
    symbol: string,
    intervalMs: number,
    startMs: number,
    endMs: number,
    measure: (trade: RecordedTrade) => bigint = () => 0n,
  ): HistoryCandle[] {
    const out: HistoryCandle[] = []
    const first = Math.ceil(startMs / intervalMs) * intervalMs
    let current: HistoryCandle | undefined
    for (const t of this.trades(symbol)) {
      const openMs = Math.floor(t.tsMs / intervalMs) * intervalMs
      if (openMs > endMs) break
      if (current && current.openMs === openMs) {
        if (t.priceTicks > current.high) current.high = t.priceTicks
        if (t.priceTicks < current.low) current.low = t.priceTicks
        current.close = t.priceTicks
        current.volumeLots += t.lots
        current.quoteTickLots += t.priceTicks * t.lots
        current.measured += measure(t)
        continue
      }
      if (current)
        for (let ms = Math.max(current.openMs + intervalMs, first); ms < openMs; ms += intervalMs)
          out.push(flat(ms, current.close))
      current = {
        openMs,
        measured: measure(t),
        open: t.priceTicks,
        high: t.priceTicks,
        low: t.priceTicks,
        close: t.priceTicks,
        volumeLots: t.lots,
        quoteTickLots: t.priceTicks * t.lots,
      }
      out.push(current)
    }
    if (current) {
      const last = Math.floor(endMs / intervalMs) * intervalMs
      for (let ms = Math.max(current.openMs + intervalMs, first); ms <= last; ms += intervalMs)
        out.push(flat(ms, current.close))
    }
    return out.filter((c) => c.openMs >= first && c.openMs <= endMs)
  }

  /** Volume, high, low, first and last price of the prints at or after `sinceMs` (null prices when none). */
  stats(
    symbol: string,
    sinceMs: number,
  ): {
    volumeLots: bigint
    quoteTickLots: bigint
    high: bigint | null
    low: bigint | null
    open: bigint | null
    last: bigint | null
  } {
    let volumeLots = 0n
    let quoteTickLots = 0n
    let high: bigint | null = null
    let low: bigint | null = null
    let open: bigint | null = null
    let last: bigint | null = null
    for (const t of this.trades(symbol)) {
      if (t.tsMs < sinceMs) continue
      volumeLots += t.lots
      quoteTickLots += t.priceTicks * t.lots
      if (high === null || t.priceTicks > high) high = t.priceTicks
      if (low === null || t.priceTicks < low) low = t.priceTicks
      if (open === null) open = t.priceTicks
      last = t.priceTicks
    }
    return { volumeLots, quoteTickLots, high, low, open, last }
  }
}

function flat(openMs: number, price: bigint): HistoryCandle {
  return { openMs, measured: 0n, open: price, high: price, low: price, close: price, volumeLots: 0n, quoteTickLots: 0n }
}

function push<T>(map: Map<string, T[]>, key: string, max: number, value: T): void {
  let list = map.get(key)
  if (!list) {
    list = []
    map.set(key, list)
  }
  list.push(value)
  if (list.length > max) list.splice(0, list.length - max)
}
