import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getAmountsForLiquidity } from '../math/liquidityAmounts.js'
import { getModifyPositionAmounts } from '../math/modifyPositionAmounts.js'
import { getSqrtRatioAtTick } from '../math/tickMath.js'
import { maxUsableTick, minUsableTick } from '../math/tickSpacing.js'
import { computeImpermanentLoss } from './computeImpermanentLoss.js'

const Q96 = 2n ** 96n

describe('computeImpermanentLoss', () => {
  it('full-range position: IL = 2√k/(1+k) − 1 (the v2 formula), k = 4 → −20 %', () => {
    const [lo, hi] = [getSqrtRatioAtTick(minUsableTick(60)), getSqrtRatioAtTick(maxUsableTick(60))]
    const L = 10n ** 24n
    const deposit = getModifyPositionAmounts({
      tickCurrent: 0,
      sqrtPriceX96: Q96,
      tickLower: minUsableTick(60),
      tickUpper: maxUsableTick(60),
      liquidityDelta: L,
    })
    const now = 2n * Q96 // √4: the price quadrupled
    const current = getAmountsForLiquidity(now, lo, hi, L)
    const il = computeImpermanentLoss({
      deposited0Raw: deposit.amount0Raw,
      deposited1Raw: deposit.amount1Raw,
      current0Raw: current.amount0,
      current1Raw: current.amount1,
      sqrtPriceX96: now,
    })
    expect(il.impermanentLossFraction).toBeCloseTo((2 * Math.sqrt(4)) / (1 + 4) - 1, 9)
  })
  it('a concentrated position never beats holding its deposit on principal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50000, max: 50000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: -60000, max: 60000 }),
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        (t0, below, above, t1, L) => {
          const [tl, tu] = [t0 - below, t0 + above]
          const s0 = getSqrtRatioAtTick(t0)
          const dep = getModifyPositionAmounts({
            tickCurrent: t0,
            sqrtPriceX96: s0,
            tickLower: tl,
            tickUpper: tu,
            liquidityDelta: L,
          })
          const s1 = getSqrtRatioAtTick(t1)
          const cur = getAmountsForLiquidity(s1, getSqrtRatioAtTick(tl), getSqrtRatioAtTick(tu), L)
          const il = computeImpermanentLoss({
            deposited0Raw: dep.amount0Raw,
            deposited1Raw: dep.amount1Raw,
            current0Raw: cur.amount0,
            current1Raw: cur.amount1,
            sqrtPriceX96: s1,
          })
          expect(il.impermanentLossInToken1Raw <= 0n).toBe(true)
        },
      ),
    )
  })
})
