import type { PoolBarEvent, PoolLogEvent } from './types.js'

const MINUTE_NS = 60_000_000_000n

/**
 * One-minute pool bars built from decoded pool events, with the definitions of demeter's `*.minute.csv` (checked
 * against the 2024-01-05 file, every bar with a swap): openTick / closeTick = the tick after the minute's first / last
 * swap, lowestTick / highestTick over the ticks after each swap, inAmount0/1 = the positive swap amounts (token in,
 * fee included), netAmount0/1 = the sums of the swap amounts, currentLiquidity = the active liquidity after the last
 * swap. Minutes without a swap give no bar (their price is the previous close). For days that have events but no
 * minute file (2023-11-10), so bar mode can be measured against the exact replay on the same day.
 */
export function poolBarsFromEvents(events: Iterable<PoolLogEvent>): PoolBarEvent[] {
  const bars: PoolBarEvent[] = []
  let current: { -readonly [K in keyof PoolBarEvent]: PoolBarEvent[K] } | undefined
  for (const event of events) {
    if (event.kind !== 'swap') continue
    const openTimeNs = (event.tsNs / MINUTE_NS) * MINUTE_NS
    if (current === undefined || current.openTimeNs !== openTimeNs) {
      current = {
        source: 'poolBar',
        tsNs: openTimeNs + MINUTE_NS,
        openTimeNs,
        netAmount0: 0n,
        netAmount1: 0n,
        openTick: event.tick,
        closeTick: event.tick,
        lowestTick: event.tick,
        highestTick: event.tick,
        inAmount0: 0n,
        inAmount1: 0n,
        currentLiquidity: event.totalLiquidity,
        file: event.file,
        row: event.row,
      }
      bars.push(current)
    }
    current.netAmount0 += event.amount0
    current.netAmount1 += event.amount1
    if (event.amount0 > 0n) current.inAmount0 += event.amount0
    if (event.amount1 > 0n) current.inAmount1 += event.amount1
    current.closeTick = event.tick
    if (event.tick < current.lowestTick) current.lowestTick = event.tick
    if (event.tick > current.highestTick) current.highestTick = event.tick
    current.currentLiquidity = event.totalLiquidity
  }
  return bars
}
