import { Token } from '@uniswap/sdk-core'
import { Pool, Position } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ZeroLiquidityError } from '../errors/liquidity.js'
import { MathOverflowError } from '../errors/math.js'
import { fromJsbi } from '../internal/jsbi.js'
import { getSqrtRatioAtTick } from '../math/tickMath.js'
import { planMint } from './planMint.js'
import type { PoolImmutables } from './readPoolImmutables.js'

const Q96 = 2n ** 96n
const MAX_UINT128 = 2n ** 128n - 1n

/**
 * Whether the periphery's LiquidityAmounts would revert for these amounts: it converts each side's liquidity (amount0
 * over [max(P, A), B], amount1 over [A, min(P, B)]) to uint128 before taking the smaller one, so one side above
 * uint128 reverts even when the other is small. The v3-sdk has no such bound (its liquidity is then not mintable).
 */
function peripheryOverflows(sqrtP: bigint, sqrtA: bigint, sqrtB: bigint, amount0: bigint, amount1: bigint): boolean {
  const l0 = (lo: bigint, hi: bigint) => (amount0 * ((lo * hi) / Q96)) / (hi - lo)
  const l1 = (lo: bigint, hi: bigint) => (amount1 * Q96) / (hi - lo)
  if (sqrtP <= sqrtA) return l0(sqrtA, sqrtB) > MAX_UINT128
  if (sqrtP >= sqrtB) return l1(sqrtA, sqrtB) > MAX_UINT128
  return l0(sqrtP, sqrtB) > MAX_UINT128 || l1(sqrtA, sqrtP) > MAX_UINT128
}

const A = new Token(1, '0x0000000000000000000000000000000000000001', 6)
const B = new Token(1, '0x0000000000000000000000000000000000000002', 18)
const pool: PoolImmutables = {
  pool: '0x0000000000000000000000000000000000000003',
  token0: A.address,
  token1: B.address,
  feePips: 500,
  tickSpacing: 10,
}

describe('planMint', () => {
  it('liquidity and amounts equal the v3-sdk (Position.fromAmounts without full precision, mintAmounts)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -200_000, max: 200_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.bigInt({ min: 1_000n, max: 10n ** 30n }),
        fc.bigInt({ min: 1_000n, max: 10n ** 30n }),
        fc.integer({ min: 0, max: 10_000 }),
        (tickCurrent, withinTick, lowerOffset, widthSpacings, amount0, amount1, slippageBps) => {
          const lo = getSqrtRatioAtTick(tickCurrent)
          const hi = getSqrtRatioAtTick(tickCurrent + 1)
          const sqrtPriceX96 = lo + ((hi - lo) * BigInt(withinTick)) / 1_000_001n
          const tickLower = (Math.floor(tickCurrent / 10) + lowerOffset) * 10
          const tickUpper = tickLower + widthSpacings * 10
          const sdkPool = new Pool(A, B, 500, sqrtPriceX96.toString(), '0', tickCurrent)
          const position = Position.fromAmounts({
            pool: sdkPool,
            tickLower,
            tickUpper,
            amount0: amount0.toString(),
            amount1: amount1.toString(),
            useFullPrecision: false,
          })
          const liquidity = fromJsbi(position.liquidity)
          fc.pre(liquidity > 0n)
          const input = {
            pool,
            sqrtPriceX96,
            tickCurrent,
            tickLower,
            tickUpper,
            amount0DesiredRaw: amount0,
            amount1DesiredRaw: amount1,
            slippageBps,
          }
          const sqrtA = getSqrtRatioAtTick(tickLower)
          const sqrtB = getSqrtRatioAtTick(tickUpper)
          if (peripheryOverflows(sqrtPriceX96, sqrtA, sqrtB, amount0, amount1)) {
            // The contract reverts (CI found amount1 = 1.7e28 over one tick spacing): so does the plan, typed.
            expect(() => planMint(input)).toThrow(MathOverflowError)
            return
          }
          const plan = planMint(input)
          expect(plan.liquidity).toBe(liquidity)
          expect(plan.amount0ExpectedRaw).toBe(fromJsbi(position.mintAmounts.amount0))
          expect(plan.amount1ExpectedRaw).toBe(fromJsbi(position.mintAmounts.amount1))
          // Minimums: floor(expected × (10 000 − bps) / 10 000), never above expected.
          expect(plan.amount0MinRaw).toBe((plan.amount0ExpectedRaw * BigInt(10_000 - slippageBps)) / 10_000n)
          expect(plan.amount1MinRaw <= plan.amount1ExpectedRaw).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('one side’s liquidity above uint128 reverts as the periphery does, although the other side is small (CI counterexample)', () => {
    const tickCurrent = 0
    const lo = getSqrtRatioAtTick(0)
    const hi = getSqrtRatioAtTick(1)
    const sqrtPriceX96 = lo + (hi - lo) / 1_000_001n
    const input = {
      pool,
      sqrtPriceX96,
      tickCurrent,
      tickLower: 0,
      tickUpper: 10,
      amount0DesiredRaw: 1_000n,
      amount1DesiredRaw: 17_013_676_000_678_590_116_272_275_456n,
      slippageBps: 0,
    }
    expect(peripheryOverflows(sqrtPriceX96, lo, getSqrtRatioAtTick(10), 1_000n, input.amount1DesiredRaw)).toBe(true)
    expect(() => planMint(input)).toThrow(MathOverflowError)
  })

  it('refuses a plan that funds no liquidity (a two-sided range with one amount zero)', () => {
    const sqrtPriceX96 = getSqrtRatioAtTick(0)
    expect(() =>
      planMint({
        pool,
        sqrtPriceX96,
        tickCurrent: 0,
        tickLower: -100,
        tickUpper: 100,
        amount0DesiredRaw: 10n ** 18n,
        amount1DesiredRaw: 0n,
        slippageBps: 50,
      }),
    ).toThrow(ZeroLiquidityError)
  })
})
