import { SwapMath } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import JSBI from 'jsbi'
import { describe, expect, it } from 'vitest'
import { fromJsbi, toJsbi } from '../internal/jsbi.js'
import { MAX_UINT128 } from './constants.js'
import { encodeSqrtRatioX96 } from './encodeSqrtRatioX96.js'
import { computeSwapStep } from './swapMath.js'
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from './tickMath.js'

const E18 = 10n ** 18n

describe('computeSwapStep (v3-core SwapMath.spec vectors)', () => {
  it('exact amount in that gets capped at the price target, one for zero', () => {
    const price = encodeSqrtRatioX96(1n, 1n)
    const target = encodeSqrtRatioX96(101n, 100n)
    const step = computeSwapStep(price, target, 2n * E18, E18, 600)
    expect(step.amountIn).toBe(9975124224178055n)
    expect(step.feeAmount).toBe(5988667735148n)
    expect(step.amountOut).toBe(9925619580021728n)
    expect(step.sqrtRatioNextX96).toBe(target)
  })

  it('exact amount out that gets capped at the price target, one for zero', () => {
    const price = encodeSqrtRatioX96(1n, 1n)
    const target = encodeSqrtRatioX96(101n, 100n)
    const step = computeSwapStep(price, target, 2n * E18, -E18, 600)
    expect(step.amountIn).toBe(9975124224178055n)
    expect(step.feeAmount).toBe(5988667735148n)
    expect(step.amountOut).toBe(9925619580021728n)
    expect(step.sqrtRatioNextX96).toBe(target)
  })

  it('exact amount in that is fully spent, one for zero', () => {
    const price = encodeSqrtRatioX96(1n, 1n)
    const target = encodeSqrtRatioX96(1000n, 100n)
    const step = computeSwapStep(price, target, 2n * E18, E18, 600)
    expect(step.amountIn).toBe(999400000000000000n)
    expect(step.feeAmount).toBe(600000000000000n)
    expect(step.amountOut).toBe(666399946655997866n)
    expect(step.amountIn + step.feeAmount).toBe(E18)
  })

  it('amount out is capped at the desired amount out', () => {
    const step = computeSwapStep(
      417332158212080721273783715441582n,
      1452870262520218020823638996n,
      159344665391607089467575320103n,
      -1n,
      1,
    )
    expect(step.amountIn).toBe(1n)
    expect(step.feeAmount).toBe(1n)
    expect(step.amountOut).toBe(1n) // would be 2 without the cap
    expect(step.sqrtRatioNextX96).toBe(417332158212080721273783715441581n)
  })

  it('entire input amount taken as fee', () => {
    const step = computeSwapStep(2413n, 79887613182836312n, 1985041575832132834610021537970n, 10n, 1872)
    expect(step).toEqual({ sqrtRatioNextX96: 2413n, amountIn: 0n, amountOut: 0n, feeAmount: 10n })
  })

  it('equals @uniswap/v3-sdk on random steps (both directions, exact in and out, every fee tier)', () => {
    const sqrtPrice = fc.bigInt({ min: MIN_SQRT_RATIO, max: MAX_SQRT_RATIO - 1n })
    const amount = fc.oneof(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.bigInt({ min: -MAX_UINT128, max: MAX_UINT128 }),
    )
    fc.assert(
      fc.property(
        sqrtPrice,
        sqrtPrice,
        fc.bigInt({ min: 1n, max: MAX_UINT128 }),
        amount,
        fc.constantFrom(100, 500, 3000, 10000, 1, 600, 1872),
        (current, target, liquidity, amountRemaining, feePips) => {
          let sdk: JSBI[] | null
          try {
            sdk = SwapMath.computeSwapStep(
              toJsbi(current),
              toJsbi(target),
              toJsbi(liquidity),
              toJsbi(amountRemaining),
              JSBI.BigInt(feePips),
            )
          } catch {
            // The SDK throws where the contract reverts; ours must throw too.
            sdk = null
          }
          if (sdk === null) {
            expect(() => computeSwapStep(current, target, liquidity, amountRemaining, feePips)).toThrow()
            return
          }
          const [next, amountIn, amountOut, fee] = sdk.map(fromJsbi)
          expect(computeSwapStep(current, target, liquidity, amountRemaining, feePips)).toEqual({
            sqrtRatioNextX96: next,
            amountIn,
            amountOut,
            feeAmount: fee,
          })
        },
      ),
      { numRuns: 2000 },
    )
  })
})
