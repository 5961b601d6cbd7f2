import { maxLiquidityForAmounts, SqrtPriceMath } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MathOverflowError } from '../errors/math.js'
import { maxBigInt, minBigInt } from '../internal/bigintMinMax.js'
import { fromJsbi, toJsbi } from '../internal/jsbi.js'
import { MAX_UINT128 } from './constants.js'
import { encodeSqrtRatioX96 } from './encodeSqrtRatioX96.js'
import { getAmountsForLiquidity, getLiquidityForAmounts } from './liquidityAmounts.js'
import { getAmount0Delta, getAmount1Delta } from './sqrtPriceMath.js'
import { getSqrtRatioAtTick, MAX_TICK, MIN_TICK } from './tickMath.js'

const lower = encodeSqrtRatioX96(100n, 110n)
const upper = encodeSqrtRatioX96(110n, 100n)

describe('getLiquidityForAmounts (v3-sdk maxLiquidityForAmounts imprecise vectors, = v3-periphery)', () => {
  it('price inside the range: 100 token0, 200 token1 → 2148', () => {
    expect(getLiquidityForAmounts(encodeSqrtRatioX96(1n, 1n), lower, upper, 100n, 200n)).toBe(2148n)
  })
  it('price below the range: only token0 counts → 1048', () => {
    expect(getLiquidityForAmounts(encodeSqrtRatioX96(99n, 110n), lower, upper, 100n, 200n)).toBe(1048n)
  })
  it('price above the range: only token1 counts → 2097', () => {
    expect(getLiquidityForAmounts(encodeSqrtRatioX96(111n, 100n), lower, upper, 100n, 200n)).toBe(2097n)
  })
  it('throws when the liquidity does not fit in uint128 (periphery toUint128)', () => {
    expect(() =>
      getLiquidityForAmounts(getSqrtRatioAtTick(2), getSqrtRatioAtTick(0), getSqrtRatioAtTick(1), 0n, 2n ** 200n),
    ).toThrow(MathOverflowError)
  })

  const tick = fc.integer({ min: MIN_TICK, max: MAX_TICK })
  const amount = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: MAX_UINT128 }))

  it('equals @uniswap/v3-sdk maxLiquidityForAmounts(useFullPrecision = false) on random ranges, prices and amounts', () => {
    fc.assert(
      fc.property(tick, tick, tick, amount, amount, (t, ta, tb, amount0, amount1) => {
        fc.pre(ta !== tb)
        const [p, a, b] = [getSqrtRatioAtTick(t), getSqrtRatioAtTick(ta), getSqrtRatioAtTick(tb)]
        const sdkMax = (current: bigint, x: bigint, y: bigint, in0: bigint, in1: bigint) =>
          fromJsbi(maxLiquidityForAmounts(toJsbi(current), toJsbi(x), toJsbi(y), in0.toString(), in1.toString(), false))
        const sdk = sdkMax(p, a, b, amount0, amount1)
        // The periphery casts each side to uint128 before taking the minimum, so an oversized side reverts even
        // when the other side is smaller (the SDK returns the minimum instead). Each side alone, via the SDK:
        const [lo, hi] = a < b ? [a, b] : [b, a]
        const sides = p > lo && p < hi ? [sdkMax(p, p, hi, amount0, 0n), sdkMax(p, lo, p, 0n, amount1)] : [sdk]
        if (sides.some((side) => side > MAX_UINT128)) {
          expect(() => getLiquidityForAmounts(p, a, b, amount0, amount1)).toThrow(MathOverflowError)
        } else {
          expect(getLiquidityForAmounts(p, a, b, amount0, amount1)).toBe(sdk)
        }
      }),
      { numRuns: 2000 },
    )
  })
})

describe('getAmountsForLiquidity', () => {
  const tick = fc.integer({ min: MIN_TICK, max: MAX_TICK })
  it('equals the SDK Position amounts (SqrtPriceMath rounded down) on random inputs', () => {
    fc.assert(
      fc.property(tick, tick, tick, fc.bigInt({ min: 0n, max: MAX_UINT128 }), (t, ta, tb, liquidity) => {
        fc.pre(ta !== tb)
        const [p, a, b] = [getSqrtRatioAtTick(t), getSqrtRatioAtTick(ta), getSqrtRatioAtTick(tb)]
        const [lo, hi] = a < b ? [a, b] : [b, a]
        const sdk0 = (x: bigint, y: bigint) =>
          fromJsbi(SqrtPriceMath.getAmount0Delta(toJsbi(x), toJsbi(y), toJsbi(liquidity), false))
        const sdk1 = (x: bigint, y: bigint) =>
          fromJsbi(SqrtPriceMath.getAmount1Delta(toJsbi(x), toJsbi(y), toJsbi(liquidity), false))
        const expected =
          p <= lo
            ? { amount0: sdk0(lo, hi), amount1: 0n }
            : p < hi
              ? { amount0: sdk0(p, hi), amount1: sdk1(lo, p) }
              : { amount0: 0n, amount1: sdk1(lo, hi) }
        expect(getAmountsForLiquidity(p, a, b, liquidity)).toEqual(expected)
      }),
      { numRuns: 1000 },
    )
  })

  it('never exceeds the amounts the liquidity was computed from (round trip)', () => {
    fc.assert(
      fc.property(
        tick,
        tick,
        tick,
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        (t, ta, tb, amount0, amount1) => {
          fc.pre(ta !== tb)
          const [p, a, b] = [getSqrtRatioAtTick(t), getSqrtRatioAtTick(ta), getSqrtRatioAtTick(tb)]
          let liquidity: bigint
          try {
            liquidity = getLiquidityForAmounts(p, a, b, amount0, amount1)
          } catch (error) {
            // Only the documented uint128 overflow may throw here.
            expect(error).toBeInstanceOf(MathOverflowError)
            return
          }
          const amounts = getAmountsForLiquidity(p, a, b, liquidity)
          expect(amounts.amount0 <= amount0 && amounts.amount1 <= amount1).toBe(true)
          // What the pool actually takes at mint (rounded up) must also fit.
          const [lo, hi] = a < b ? [a, b] : [b, a]
          const mint0 = p < hi ? getAmount0Delta(maxBigInt(p, lo), hi, liquidity, true) : 0n
          const mint1 = p > lo ? getAmount1Delta(lo, minBigInt(p, hi), liquidity, true) : 0n
          expect(mint0 <= amount0 && mint1 <= amount1).toBe(true)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
