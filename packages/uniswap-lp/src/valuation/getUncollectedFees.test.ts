import { describe, expect, it } from 'vitest'
import { MAX_UINT128, Q128 } from '../math/constants.js'
import { getUncollectedFees } from './getUncollectedFees.js'

describe('getUncollectedFees', () => {
  const zero = { feeGrowthOutside0X128: 0n, feeGrowthOutside1X128: 0n }
  it('tokensOwed + floor(L·Δinside/2^128) per token', () => {
    const fees = getUncollectedFees({
      liquidity: 3n,
      tickLower: -10,
      tickUpper: 10,
      tickCurrent: 0,
      feeGrowthGlobal0X128: 7n * Q128,
      feeGrowthGlobal1X128: Q128 / 2n,
      lower: zero,
      upper: zero,
      feeGrowthInside0LastX128: 2n * Q128,
      feeGrowthInside1LastX128: 0n,
      tokensOwed0: 100n,
      tokensOwed1: 1n,
    })
    // token0: 100 + 3·(7 − 2) = 115; token1: 1 + floor(3 · 0.5) = 2
    expect(fees).toEqual({ fees0Raw: 115n, fees1Raw: 2n })
  })
  it('fee growth wrap-around still yields the true delta; the owed sum wraps at uint128 like the contract', () => {
    const fees = getUncollectedFees({
      liquidity: Q128,
      tickLower: -10,
      tickUpper: 10,
      tickCurrent: 0,
      feeGrowthGlobal0X128: 5n, // wrapped past 2^256
      feeGrowthGlobal1X128: 0n,
      lower: zero,
      upper: zero,
      feeGrowthInside0LastX128: 2n ** 256n - 10n,
      feeGrowthInside1LastX128: 0n,
      tokensOwed0: MAX_UINT128,
      tokensOwed1: 0n,
    })
    expect(fees.fees0Raw).toBe(14n) // (2^128 − 1 + 15) mod 2^128
  })
})
