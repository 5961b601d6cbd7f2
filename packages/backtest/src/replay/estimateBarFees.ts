import type { PoolBarEvent } from '../data/types.js'

export type EstimateBarFeesParameters = {
  bars: Iterable<PoolBarEvent>
  tickLower: number
  tickUpper: number
  liquidity: bigint
  feePips: number
}

const SHARE_SCALE = 1_000_000n

/**
 * Bar mode (minute data, e.g. the Polygon days): fees a position earns, estimated from one-minute bars. For each bar:
 * fee = inAmount × feePips / 1e6 (inAmount includes the fee) × L / (L + currentLiquidity) × the share of the bar's
 * [lowestTick, highestTick] span inside [tickLower, tickUpper) (volume assumed uniform over the ticks the bar
 * visited). docs/backtest.md#bar-mode measures its error against the exact replay on 2024-01-05.
 */
export function estimateBarFees({ bars, tickLower, tickUpper, liquidity, feePips }: EstimateBarFeesParameters): {
  fees0: bigint
  fees1: bigint
} {
  let fees0 = 0n
  let fees1 = 0n
  const fee = BigInt(feePips)
  for (const bar of bars) {
    const lo = bar.lowestTick
    const hi = bar.highestTick + 1 // the bar spans whole ticks [lowest, highest]
    const overlap = Math.min(hi, tickUpper) - Math.max(lo, tickLower)
    if (overlap <= 0) continue
    const inside = BigInt(Math.round((overlap / (hi - lo)) * Number(SHARE_SCALE)))
    const denominator = (liquidity + bar.currentLiquidity) * SHARE_SCALE * 1_000_000n
    fees0 += (bar.inAmount0 * fee * liquidity * inside) / denominator
    fees1 += (bar.inAmount1 * fee * liquidity * inside) / denominator
  }
  return { fees0, fees1 }
}
