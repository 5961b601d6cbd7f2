import { computeSwapStep } from '@alp/uniswap-lp'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { computeSwapStepFast, type SwapStepResult } from './computeSwapStepFast.js'

const MIN = 4295128739n
const MAX = 1461446703485210103287273052203988822378723970342n
const MAX_UINT128 = (1n << 128n) - 1n

type Outcome = { ok: SwapStepResult } | { error: string }

function outcome(run: () => SwapStepResult): Outcome {
  try {
    return { ok: run() }
  } catch (error) {
    return { error: (error as Error).constructor.name }
  }
}

/** The reference is v3-core SwapMath.computeSwapStep as ported in @alp/uniswap-lp (itself tested on the contract). */
function both(current: bigint, target: bigint, liquidity: bigint, amountRemaining: bigint, feePips: number) {
  const reference = outcome(() => ({ ...computeSwapStep(current, target, liquidity, amountRemaining, feePips) }))
  const fast = outcome(() => {
    const out: SwapStepResult = { sqrtRatioNextX96: 0n, amountIn: 0n, amountOut: 0n, feeAmount: 0n }
    computeSwapStepFast(
      out,
      current,
      target,
      liquidity,
      amountRemaining,
      feePips,
      BigInt(feePips),
      1_000_000n - BigInt(feePips),
    )
    return out
  })
  return { reference, fast }
}

describe('computeSwapStepFast equals SwapMath.computeSwapStep', () => {
  it('on random prices, liquidity, amounts (exact in and out) and fees', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: MIN, max: MAX - 1n }),
        fc.bigInt({ min: MIN, max: MAX - 1n }),
        fc.bigInt({ min: 0n, max: MAX_UINT128 }),
        fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }).filter((a) => a !== 0n),
        fc.constantFrom(100, 500, 3000, 10_000, 0, 999_999),
        (current, target, liquidity, amountRemaining, feePips) => {
          const { reference, fast } = both(current, target, liquidity, amountRemaining, feePips)
          expect(fast).toEqual(reference)
        },
      ),
      { numRuns: 3000, seed: 21 },
    )
  })

  it('near price-equal steps with small amounts, where rounding decides the result', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n << 96n, max: 1n << 100n }),
        fc.bigInt({ min: -1000n, max: 1000n }),
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }).filter((a) => a !== 0n),
        (current, offset, liquidity, amountRemaining) => {
          const { reference, fast } = both(current, current + offset, liquidity, amountRemaining, 500)
          expect(fast).toEqual(reference)
        },
      ),
      { numRuns: 3000, seed: 22 },
    )
  })

  it('hand-checked step: 1 token1 in at price 1 with liquidity 2·10^18 and a 0.3 % fee stops short of the target', () => {
    const q96 = 1n << 96n
    const out: SwapStepResult = { sqrtRatioNextX96: 0n, amountIn: 0n, amountOut: 0n, feeAmount: 0n }
    computeSwapStepFast(out, q96, 2n * q96, 2n * 10n ** 18n, 10n ** 18n, 3000, 3000n, 997_000n)
    // amountIn after fee = 10^18 · 0.997 = 997·10^15; the fee is the rest of the input: 3·10^15.
    expect(out.amountIn).toBe(997n * 10n ** 15n)
    expect(out.feeAmount).toBe(3n * 10n ** 15n)
    // ΔsqrtP = 997·10^15 / 2·10^18 = 0.4985 → next = 1.4985 · 2^96 (rounded down).
    expect(out.sqrtRatioNextX96).toBe(q96 + (997n * 10n ** 15n * q96) / (2n * 10n ** 18n))
  })
})
