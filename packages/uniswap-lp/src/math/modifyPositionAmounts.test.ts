import { Token } from '@uniswap/sdk-core'
import { Pool, Position } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromJsbi } from '../internal/jsbi.js'
import { MAX_UINT128 } from './constants.js'
import { getModifyPositionAmounts } from './modifyPositionAmounts.js'
import { getSqrtRatioAtTick } from './tickMath.js'

const A = new Token(1, '0x0000000000000000000000000000000000000001', 18)
const B = new Token(1, '0x0000000000000000000000000000000000000002', 6)

describe('getModifyPositionAmounts (UniswapV3Pool._modifyPosition)', () => {
  it('mint amounts (rounded up) and burn amounts (rounded down) equal the SDK Position on random positions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -80000, max: 80000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: -2000, max: 2000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.bigInt({ min: 1n, max: MAX_UINT128 / 1000n }),
        (tickCurrent, withinTick, lowerOffset, widthSpacings, liquidity) => {
          // A price anywhere inside [ratio(tick), ratio(tick + 1)).
          const lo = getSqrtRatioAtTick(tickCurrent)
          const hi = getSqrtRatioAtTick(tickCurrent + 1)
          const sqrtPriceX96 = lo + ((hi - lo) * BigInt(withinTick)) / 1_000_001n
          const tickLower = (Math.floor(tickCurrent / 10) + lowerOffset) * 10
          const tickUpper = tickLower + widthSpacings * 10
          const pool = new Pool(A, B, 500, sqrtPriceX96.toString(), '0', tickCurrent)
          const position = new Position({ pool, liquidity: liquidity.toString(), tickLower, tickUpper })
          const mint = getModifyPositionAmounts({
            tickCurrent,
            sqrtPriceX96,
            tickLower,
            tickUpper,
            liquidityDelta: liquidity,
          })
          expect(mint.amount0Raw).toBe(fromJsbi(position.mintAmounts.amount0))
          expect(mint.amount1Raw).toBe(fromJsbi(position.mintAmounts.amount1))
          const burn = getModifyPositionAmounts({
            tickCurrent,
            sqrtPriceX96,
            tickLower,
            tickUpper,
            liquidityDelta: -liquidity,
          })
          expect(-burn.amount0Raw).toBe(BigInt(position.amount0.quotient.toString()))
          expect(-burn.amount1Raw).toBe(BigInt(position.amount1.quotient.toString()))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('decides the side from slot0.tick: a price exactly on the lower edge with tick = edge − 1 is below the range', () => {
    // After a swap down that ends exactly on tick 600, the pool stores tick 599 and sqrtPrice = ratio(600).
    const r = getModifyPositionAmounts({
      tickCurrent: 599,
      sqrtPriceX96: getSqrtRatioAtTick(600),
      tickLower: 600,
      tickUpper: 1200,
      liquidityDelta: 10n ** 18n,
    })
    expect(r.amount1Raw).toBe(0n)
    expect(r.amount0Raw).toBeGreaterThan(0n)
  })
})
