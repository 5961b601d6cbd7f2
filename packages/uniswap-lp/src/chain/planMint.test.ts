import { Token } from '@uniswap/sdk-core'
import { Pool, Position } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ZeroLiquidityError } from '../errors/liquidity.js'
import { fromJsbi } from '../internal/jsbi.js'
import { getSqrtRatioAtTick } from '../math/tickMath.js'
import { planMint } from './planMint.js'
import type { PoolImmutables } from './readPoolImmutables.js'

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
          const plan = planMint({
            pool,
            sqrtPriceX96,
            tickCurrent,
            tickLower,
            tickUpper,
            amount0DesiredRaw: amount0,
            amount1DesiredRaw: amount1,
            slippageBps,
          })
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
