import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MathOverflowError } from '../errors/math.js'
import { MAX_UINT128 } from '../math/constants.js'
import { getLiquidityForAmounts } from '../math/liquidityAmounts.js'
import { getSqrtRatioAtTick, MAX_TICK, MIN_TICK } from '../math/tickMath.js'
import { getLiquidityForBalances } from './getLiquidityForBalances.js'

describe('getLiquidityForBalances', () => {
  const tick = fc.integer({ min: MIN_TICK, max: MAX_TICK })
  const amount = fc.bigInt({ min: 0n, max: MAX_UINT128 })
  it('equals the periphery getLiquidityForAmounts whenever that does not revert', () => {
    fc.assert(
      fc.property(tick, tick, tick, amount, amount, (t, ta, tb, a0, a1) => {
        fc.pre(ta !== tb)
        const [p, a, b] = [getSqrtRatioAtTick(t), getSqrtRatioAtTick(ta), getSqrtRatioAtTick(tb)]
        let periphery: bigint
        try {
          periphery = getLiquidityForAmounts(p, a, b, a0, a1)
        } catch (error) {
          // The periphery reverts when either side alone exceeds uint128; ours only when the minimum does.
          expect(error).toBeInstanceOf(MathOverflowError)
          return
        }
        expect(getLiquidityForBalances(p, a, b, a0, a1)).toBe(periphery)
      }),
      { numRuns: 1000 },
    )
  })
  it('does not fail on an abundant token when the minimum fits', () => {
    const [p, a, b] = [getSqrtRatioAtTick(1), getSqrtRatioAtTick(0), getSqrtRatioAtTick(2)]
    expect(() => getLiquidityForAmounts(p, a, b, 1000n, 2n ** 200n)).toThrow(MathOverflowError)
    expect(getLiquidityForBalances(p, a, b, 1000n, 2n ** 200n)).toBe(getLiquidityForAmounts(p, a, b, 1000n, 2n ** 100n))
  })
})
