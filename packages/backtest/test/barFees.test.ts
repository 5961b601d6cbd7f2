import { describe, expect, it } from 'vitest'
import { readPoolBars } from '../src/data/readPoolBars.js'
import type { PoolBarEvent } from '../src/data/types.js'
import { estimateBarFees } from '../src/replay/estimateBarFees.js'
import { MAINNET_DAY } from './src/dataPaths.js'

function bar(fields: Partial<PoolBarEvent> & { tick?: number }): PoolBarEvent {
  const tick = fields.tick ?? 0
  return {
    source: 'poolBar',
    tsNs: 0n,
    openTimeNs: 0n,
    netAmount0: 0n,
    netAmount1: 0n,
    openTick: tick,
    closeTick: tick,
    lowestTick: tick,
    highestTick: tick,
    inAmount0: 0n,
    inAmount1: 0n,
    currentLiquidity: 10n ** 18n,
    file: 'synthetic',
    row: 0,
    ...fields,
  }
}

/**
 * The exact fee of a position over bars as one fraction: Σ inAmount × feePips / 1e6 × L / (L + Lc) × overlap / span,
 * span = the ticks [min(lowest, previous close), max(highest, previous close)] of each bar, summed without rounding
 * (numerator and denominator kept as bigints, no reduction) and floored once.
 */
function exactSum(bars: PoolBarEvent[], tickLower: number, tickUpper: number, liquidity: bigint, feePips: number) {
  let num0 = 0n
  let num1 = 0n
  let den = 1n
  let previousClose: number | undefined
  for (const b of bars) {
    let lo = b.lowestTick
    let hi = b.highestTick
    if (previousClose !== undefined) {
      lo = Math.min(lo, previousClose)
      hi = Math.max(hi, previousClose)
    }
    previousClose = b.closeTick
    const span = hi + 1 - lo
    const overlap = Math.min(hi + 1, tickUpper) - Math.max(lo, tickLower)
    if (overlap <= 0) continue
    const d = 1_000_000n * BigInt(span) * (liquidity + b.currentLiquidity)
    const n = BigInt(feePips) * liquidity * BigInt(overlap)
    num0 = num0 * d + b.inAmount0 * n * den
    num1 = num1 * d + b.inAmount1 * n * den
    den *= d
  }
  return { fees0: num0 / den, fees1: num1 / den }
}

describe('estimateBarFees: exact accumulation and the bar span', () => {
  it('a small position over many bars earns the exact sum of its per-bar fees, to the raw unit', () => {
    // 1,000 one-tick bars inside the range, each bar's fee a fraction of a raw unit: flooring per bar gives 0.
    const bars: PoolBarEvent[] = []
    for (let i = 0; i < 1000; i++)
      bars.push(bar({ tick: 5, inAmount0: 1_000_000_000n + BigInt(i) * 7919n, inAmount1: 10n ** 15n + BigInt(i) }))
    const liquidity = 10n ** 12n // 1e-6 of the pool's 1e18: each bar pays 1e9 × 5e-4 × 1e-6 ≈ 0.5 raw units of token0
    const got = estimateBarFees({ bars, tickLower: 0, tickUpper: 10, liquidity, feePips: 500 })
    const want = exactSum(bars, 0, 10, liquidity, 500)
    // Hand check of token0: Σ inAmount0 = 1e12 + 7919 × 499,500; × 500 / 1e6 × 1e12 / (1e18 + 1e12), floored.
    const sumIn0 = 1_000_000_000_000n + 7919n * 499_500n
    expect(want.fees0).toBe((sumIn0 * 500n * 10n ** 12n) / (1_000_000n * (10n ** 18n + 10n ** 12n)))
    expect(want.fees0).toBeGreaterThan(400n)
    expect(got).toEqual(want)
  })

  it('on the real 2024-01-05 minute bars, a 1/1000-size position earns the exact sum to the raw unit', async () => {
    const bars: PoolBarEvent[] = []
    for await (const b of readPoolBars(MAINNET_DAY.minuteCsv)) bars.push(b)
    for (const [tickLower, tickUpper] of [
      [198_940, 199_140],
      [199_000, 199_040],
    ] as const) {
      const liquidity = 10n ** 13n
      const got = estimateBarFees({ bars, tickLower, tickUpper, liquidity, feePips: 500 })
      expect(got).toEqual(exactSum(bars, tickLower, tickUpper, liquidity, 500))
    }
  })

  it("a bar's span includes the previous close (the tick the bar started from)", () => {
    // Bar 1 closes at tick 100. Bar 2's first swap moved the price straight to 110 and it stayed there: the bar visited
    // ticks 100..110 (11 ticks); the range [100, 105) holds 5 of them, so it earns 5/11 of the bar's fee share.
    const liquidity = 10n ** 18n
    const bars = [bar({ tick: 100 }), bar({ tick: 110, inAmount0: 22_000_000_000n })]
    const got = estimateBarFees({ bars, tickLower: 100, tickUpper: 105, liquidity, feePips: 500 })
    // 22e9 × 500 / 1e6 = 11e6 of fees; × L / (L + Lc) = 1/2 → 5.5e6; × 5/11 → 2.5e6.
    expect(got.fees0).toBe(2_500_000n)
    expect(got.fees1).toBe(0n)
  })

  it('an exact integer total over 35 days of bars (the exact fallback, summed pairwise) is found', () => {
    // 50,400 bars, each paying exactly ½ raw unit: 2,000 × 500 / 1e6 = 1 unit of fee, × L / (L + L) = ½. Total 25,200:
    // an integer, where the Q128 growth alone (floored per bar) would land just below it.
    const liquidity = 10n ** 18n
    const bars = Array.from({ length: 50_400 }, () => bar({ tick: 5, inAmount0: 2_000n, currentLiquidity: liquidity }))
    const got = estimateBarFees({ bars, tickLower: 0, tickUpper: 10, liquidity, feePips: 500 })
    expect(got.fees0).toBe(25_200n)
  })
})
