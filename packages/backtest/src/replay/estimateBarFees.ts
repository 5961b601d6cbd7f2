import type { PoolBarEvent } from '../data/types.js'

export type EstimateBarFeesParameters = {
  bars: Iterable<PoolBarEvent>
  tickLower: number
  tickUpper: number
  liquidity: bigint
  feePips: number
  /**
   * The pool tick before the first bar (the previous bar's close), if known: the first bar's span then includes it, as
   * every later bar's span includes the close of the bar before it.
   */
  startTick?: number | undefined
}

const Q128 = 1n << 128n

/**
 * Bar mode (minute data, e.g. the Polygon days): fees a position earns, estimated from one-minute bars. For each bar:
 * fee = inAmount × feePips / 1e6 (inAmount includes the fee) × L / (L + currentLiquidity) × the share of the bar's tick
 * span inside [tickLower, tickUpper) (volume assumed uniform over the ticks the bar visited). The span is
 * [min(lowestTick, previous close), max(highestTick, previous close)]: the bar starts from the previous bar's close,
 * which its own low/high leave out when the first swap moved the price away from it.
 *
 * Nothing is rounded per bar. Like the pool contract, each bar adds its fee per unit of liquidity to a Q128 fee growth
 * (floored at 2^-128), and the position's fee is L × growth / 2^128, floored once at the end. That floor is the exact
 * one (the sum of the per-bar fractions, floored) unless the exact sum lies within n_bars × L / 2^128 of an integer;
 * in that rare case the fractions are summed exactly (bigint numerator over the product of the denominators). The
 * result is therefore always floor(Σ exact per-bar fee). docs/backtest.md#bar-mode measures its error against the exact
 * event replay.
 */
export function estimateBarFees({
  bars,
  tickLower,
  tickUpper,
  liquidity,
  feePips,
  startTick,
}: EstimateBarFeesParameters): {
  fees0: bigint
  fees1: bigint
} {
  let growth0X128 = 0n
  let growth1X128 = 0n
  const fee = BigInt(feePips)
  let previousClose = startTick
  const terms: Term[] = []
  for (const bar of bars) {
    let lo = bar.lowestTick
    let hi = bar.highestTick
    if (previousClose !== undefined) {
      if (previousClose < lo) lo = previousClose
      if (previousClose > hi) hi = previousClose
    }
    previousClose = bar.closeTick
    hi += 1 // the bar spans whole ticks [lo, hi]
    const overlap = Math.min(hi, tickUpper) - Math.max(lo, tickLower)
    if (overlap <= 0) continue
    const denominator = 1_000_000n * BigInt(hi - lo) * (liquidity + bar.currentLiquidity)
    const scale = fee * BigInt(overlap) * Q128
    if (bar.inAmount0 !== 0n) growth0X128 += (bar.inAmount0 * scale) / denominator
    if (bar.inAmount1 !== 0n) growth1X128 += (bar.inAmount1 * scale) / denominator
    terms.push({ in0: bar.inAmount0, in1: bar.inAmount1, numerator: fee * BigInt(overlap) * liquidity, denominator })
  }
  // Each bar's floor loses less than 2^-128 of growth: the exact fee lies in [low, low + terms × L) / 2^128.
  const slack = BigInt(terms.length) * liquidity
  const low0 = growth0X128 * liquidity
  const low1 = growth1X128 * liquidity
  const sure0 = low0 / Q128 === (low0 + slack) / Q128
  const sure1 = low1 / Q128 === (low1 + slack) / Q128
  if (sure0 && sure1) return { fees0: low0 / Q128, fees1: low1 / Q128 }
  const [num0, num1, den] = sumTerms(terms, 0, terms.length)
  return { fees0: sure0 ? low0 / Q128 : num0 / den, fees1: sure1 ? low1 / Q128 : num1 / den }
}

type Term = { in0: bigint; in1: bigint; numerator: bigint; denominator: bigint }

/**
 * Σ in·numerator/denominator over terms[from, to) for both tokens as [num0, num1, den], summed pairwise (the operands
 * of each multiplication stay balanced: O(M(size)·log n) instead of O(n·size) for a running sum).
 */
function sumTerms(terms: readonly Term[], from: number, to: number): [bigint, bigint, bigint] {
  if (to - from === 0) return [0n, 0n, 1n]
  if (to - from === 1) {
    const t = terms[from]!
    return [t.in0 * t.numerator, t.in1 * t.numerator, t.denominator]
  }
  const middle = (from + to) >>> 1
  const [a0, a1, ad] = sumTerms(terms, from, middle)
  const [b0, b1, bd] = sumTerms(terms, middle, to)
  return [a0 * bd + b0 * ad, a1 * bd + b1 * ad, ad * bd]
}
