import type { TapeTrade } from './BinanceHistory.js'

/** Fixed-length Binance kline intervals in ms (`1M` is the calendar month, handled apart). */
const INTERVAL_MS: Record<string, number> = {
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
}

/** One candle in integer units: prices in ticks, volumes in lots, quote volume in notional E8. */
export type Kline = {
  openTimeMs: number
  closeTimeMs: number
  openTicks: bigint
  highTicks: bigint
  lowTicks: bigint
  closeTicks: bigint
  volumeLots: bigint
  quoteVolumeE8: bigint
  count: number
  takerBuyLots: bigint
  takerBuyQuoteE8: bigint
  firstTradeId: number
  lastTradeId: number
}

export function isKlineInterval(interval: string): boolean {
  return interval === '1M' || INTERVAL_MS[interval] !== undefined
}

/** Start of the interval holding `tsMs` (UTC; weeks start on Monday as on Binance). */
export function klineOpenTime(interval: string, tsMs: number): number {
  if (interval === '1M') {
    const d = new Date(tsMs)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  }
  const len = INTERVAL_MS[interval] as number
  // 1970-01-01 was a Thursday; Binance weeks open on Monday 00:00 UTC.
  const offset = interval === '1w' ? 4 * 86_400_000 : 0
  return Math.floor((tsMs - offset) / len) * len + offset
}

/** Start of the interval after the one opening at `openTimeMs`. */
export function nextKlineOpenTime(interval: string, openTimeMs: number): number {
  if (interval === '1M') {
    const d = new Date(openTimeMs)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  }
  return openTimeMs + (INTERVAL_MS[interval] as number)
}

/**
 * Candles of `interval` from the tape (oldest first), from the first print's interval to the one holding `untilMs`. An interval
 * without prints repeats the previous close with zero volume, as Binance does.
 */
export function aggregateKlines(
  trades: readonly TapeTrade[],
  interval: string,
  untilMs: number,
  notionalFactor: bigint,
): Kline[] {
  const out: Kline[] = []
  const first = trades[0]
  if (first === undefined) return out
  let current: Kline | null = null
  const open = (openTimeMs: number, priceTicks: bigint, tradeId: number): Kline => ({
    openTimeMs,
    closeTimeMs: nextKlineOpenTime(interval, openTimeMs) - 1,
    openTicks: priceTicks,
    highTicks: priceTicks,
    lowTicks: priceTicks,
    closeTicks: priceTicks,
    volumeLots: 0n,
    quoteVolumeE8: 0n,
    count: 0,
    takerBuyLots: 0n,
    takerBuyQuoteE8: 0n,
    firstTradeId: tradeId,
    lastTradeId: tradeId,
  })
  for (const t of trades) {
    if (t.tsMs > untilMs) break
    const openTimeMs = klineOpenTime(interval, t.tsMs)
    while (current !== null && current.openTimeMs < openTimeMs) {
      out.push(current)
      const next = nextKlineOpenTime(interval, current.openTimeMs)
      current = next < openTimeMs ? open(next, current.closeTicks, -1) : null
    }
    if (current === null) {
      current = open(openTimeMs, t.priceTicks, t.tradeId)
    }
    if (current.count === 0) {
      current.openTicks = t.priceTicks
      current.highTicks = t.priceTicks
      current.lowTicks = t.priceTicks
      current.firstTradeId = t.tradeId
    }
    if (t.priceTicks > current.highTicks) current.highTicks = t.priceTicks
    if (t.priceTicks < current.lowTicks) current.lowTicks = t.priceTicks
    current.closeTicks = t.priceTicks
    current.lastTradeId = t.tradeId
    const quote = t.priceTicks * t.lots * notionalFactor
    current.volumeLots += t.lots
    current.quoteVolumeE8 += quote
    current.count += 1
    if (!t.buyerMaker) {
      current.takerBuyLots += t.lots
      current.takerBuyQuoteE8 += quote
    }
  }
  if (current === null) return out
  const lastOpen = klineOpenTime(interval, untilMs)
  out.push(current)
  let tail: Kline = current
  while (tail.openTimeMs < lastOpen) {
    tail = open(nextKlineOpenTime(interval, tail.openTimeMs), tail.closeTicks, -1)
    out.push(tail)
  }
  return out
}

/** Rolling statistics over prints in [fromMs, toMs] (Binance 24 h ticker). `null` prices when there was no print. */
export type RollingStats = {
  openTicks: bigint | null
  highTicks: bigint | null
  lowTicks: bigint | null
  lastTicks: bigint | null
  lastLots: bigint
  volumeLots: bigint
  quoteVolumeE8: bigint
  count: number
  firstTradeId: number
  lastTradeId: number
}

export function rollingStats(
  trades: readonly TapeTrade[],
  fromMs: number,
  toMs: number,
  notionalFactor: bigint,
): RollingStats {
  const stats: RollingStats = {
    openTicks: null,
    highTicks: null,
    lowTicks: null,
    lastTicks: null,
    lastLots: 0n,
    volumeLots: 0n,
    quoteVolumeE8: 0n,
    count: 0,
    firstTradeId: -1,
    lastTradeId: -1,
  }
  for (const t of trades) {
    if (t.tsMs < fromMs || t.tsMs > toMs) continue
    if (stats.openTicks === null) {
      stats.openTicks = t.priceTicks
      stats.firstTradeId = t.tradeId
    }
    if (stats.highTicks === null || t.priceTicks > stats.highTicks) stats.highTicks = t.priceTicks
    if (stats.lowTicks === null || t.priceTicks < stats.lowTicks) stats.lowTicks = t.priceTicks
    stats.lastTicks = t.priceTicks
    stats.lastLots = t.lots
    stats.lastTradeId = t.tradeId
    stats.volumeLots += t.lots
    stats.quoteVolumeE8 += t.priceTicks * t.lots * notionalFactor
    stats.count += 1
  }
  return stats
}
