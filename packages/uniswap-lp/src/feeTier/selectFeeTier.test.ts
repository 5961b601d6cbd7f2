import { describe, expect, it } from 'vitest'
import { UnknownFeeTierError } from '../errors/feeTier.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { getAmountsForLiquidity } from '../math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../math/tickMath.js'
import { selectFeeTier } from './selectFeeTier.js'

// A pool at raw price 1 (sqrtPriceX96 = 2^96), token1 = a USD stablecoin with 0 decimals for easy hand checks.
const Q96 = 2n ** 96n
const base = {
  capitalUsd: 10_000,
  sigmaPerSqrtDay: 0.05,
  gasCostUsdPerRebalance: 20,
  token1PriceUsd: 1,
  decimals1: 0,
}

describe('selectFeeTier', () => {
  it('hand-computed single tier, single width', () => {
    const [e] = selectFeeTier({
      ...base,
      tiers: [{ feePips: 3000, volumeUsdPerDay: 1_000_000, activeLiquidity: 1_000_000n, sqrtPriceX96: Q96 }],
      halfWidthTicks: [600],
    })
    if (e === undefined) throw new Error('no estimate')
    // L = 10000 / (2·1·(1 − 1.0001^−300)); 1.0001^−300 = e^(−300·ln 1.0001)
    const shrink = 1 - Math.exp(-300 * Math.log(1.0001))
    const L = 10_000 / (2 * shrink)
    expect(e.liquidity).toBeCloseTo(L, 6)
    expect(e.feeIncomeUsdPerDay).toBeCloseTo(0.003 * 1_000_000 * (L / (1_000_000 + L)), 6)
    expect(e.lvrUsdPerDay).toBeCloseTo((0.0025 * L) / 4, 9) // σ²·L·√P/4 with √P = 1
    const a = 600 * Math.log(1.0001)
    expect(e.rebalancesPerDay).toBeCloseTo(0.0025 / (a * a), 9)
    expect(e.netUsdPerDay).toBeCloseTo(e.feeIncomeUsdPerDay - e.lvrUsdPerDay - e.rebalancesPerDay * 20, 9)
  })

  it('the LVR closed form equals σ²P²/2·|dx/dP| from the exact amounts (finite difference)', () => {
    // 12 decimals keep the integer amounts large enough for a finite difference over two ticks.
    const [e] = selectFeeTier({
      ...base,
      decimals1: 12,
      tiers: [{ feePips: 500, volumeUsdPerDay: 0, activeLiquidity: 0n, sqrtPriceX96: Q96 }],
      halfWidthTicks: [1000],
    })
    if (e === undefined) throw new Error('no estimate')
    const L = BigInt(Math.round(e.liquidity))
    const [lo, hi] = [getSqrtRatioAtTick(-1000), getSqrtRatioAtTick(1000)]
    // x(P) at P = 1.0001^±1 (sqrt ratio at ticks ±1), dx/dP by a central difference over 2 ticks.
    const x = (t: number) => Number(getAmountsForLiquidity(getSqrtRatioAtTick(t), lo, hi, L).amount0)
    const dxdP = (x(1) - x(-1)) / (1.0001 - 1 / 1.0001)
    const lvrToken1Raw = ((0.05 * 0.05) / 2) * Math.abs(dxdP) // P = 1
    expect(e.lvrUsdPerDay / (lvrToken1Raw / 1e12)).toBeCloseTo(1, 3)
  })

  it('ranks tiers by net income: a busy 0.05 % pool beats an idle 1 % pool', () => {
    const ranked = selectFeeTier({
      ...base,
      tiers: [
        { feePips: 10000, volumeUsdPerDay: 10_000, activeLiquidity: 10n ** 6n, sqrtPriceX96: Q96 },
        { feePips: 500, volumeUsdPerDay: 50_000_000, activeLiquidity: 10n ** 7n, sqrtPriceX96: Q96 },
      ],
      halfWidthTicks: [200, 1000, 4000],
    })
    expect(ranked.map((r) => r.feePips)).toEqual([500, 10000])
    expect(ranked[0]?.netUsdPerDay).toBeGreaterThan(ranked[1]?.netUsdPerDay ?? Number.POSITIVE_INFINITY)
  })

  it('more volatility costs more and favours wider ranges', () => {
    const run = (sigma: number) =>
      selectFeeTier({
        ...base,
        sigmaPerSqrtDay: sigma,
        tiers: [{ feePips: 3000, volumeUsdPerDay: 5_000_000, activeLiquidity: 10n ** 7n, sqrtPriceX96: Q96 }],
        halfWidthTicks: [100, 300, 1000, 3000, 10000],
      })[0]
    const calm = run(0.01)
    const wild = run(0.1)
    expect(wild?.netUsdPerDay).toBeLessThan(calm?.netUsdPerDay ?? 0)
    expect(wild?.halfWidthTicks).toBeGreaterThanOrEqual(calm?.halfWidthTicks ?? 0)
  })

  it('rounds half-widths up to the tier spacing', () => {
    const [e] = selectFeeTier({
      ...base,
      tiers: [{ feePips: 10000, volumeUsdPerDay: 1, activeLiquidity: 1n, sqrtPriceX96: Q96 }],
      halfWidthTicks: [250],
    })
    expect(e?.halfWidthTicks).toBe(400)
  })

  it('rejects unknown tiers and bad inputs', () => {
    const tier = { feePips: 2500, volumeUsdPerDay: 1, activeLiquidity: 1n, sqrtPriceX96: Q96 }
    expect(() => selectFeeTier({ ...base, tiers: [tier], halfWidthTicks: [10] })).toThrow(UnknownFeeTierError)
    expect(() => selectFeeTier({ ...base, tiers: [], halfWidthTicks: [10] })).toThrow(InvalidParameterError)
    expect(() =>
      selectFeeTier({ ...base, capitalUsd: 0, tiers: [{ ...tier, feePips: 500 }], halfWidthTicks: [10] }),
    ).toThrow(/capitalUsd/)
  })
})
