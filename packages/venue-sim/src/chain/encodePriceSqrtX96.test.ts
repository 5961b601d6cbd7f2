import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidPoolParametersError } from '../errors/chain.js'
import { encodePriceSqrtX96, sqrtFloor } from './encodePriceSqrtX96.js'

const Q96 = 2n ** 96n

describe('encodePriceSqrtX96', () => {
  it('hand values: price 1 -> 2^96, 4 -> 2^97, 1/4 -> 2^95 (equal decimals)', () => {
    expect(encodePriceSqrtX96({ price: '1', priceOf: 'token0', decimals0: 18, decimals1: 18 })).toBe(Q96)
    expect(encodePriceSqrtX96({ price: '4', priceOf: 'token0', decimals0: 18, decimals1: 18 })).toBe(2n * Q96)
    expect(encodePriceSqrtX96({ price: '4', priceOf: 'token1', decimals0: 18, decimals1: 18 })).toBe(Q96 / 2n)
    expect(encodePriceSqrtX96({ price: '0.25', priceOf: 'token0', decimals0: 18, decimals1: 18 })).toBe(Q96 / 2n)
  })

  it('decimals: 2000 USDC (6, token0) per WETH (18, token1) is raw 1e18 / 2000e6 = 5e8 token1 per token0', () => {
    const s = encodePriceSqrtX96({ price: '2000', priceOf: 'token1', decimals0: 6, decimals1: 18 })
    const target = 500_000_000n * Q96 * Q96
    expect(s * s <= target && (s + 1n) * (s + 1n) > target).toBe(true)
    // sqrt(5e8) = 22360.6797749979 (hand): the leading digits of s / 2^96.
    expect(Number(s) / 2 ** 96).toBeCloseTo(22360.6797749979, 8)
  })

  it('rejects non-decimal and zero prices', () => {
    for (const price of ['', '1e3', '-1', '0', '0.000', ' 1', '1,5']) {
      expect(() => encodePriceSqrtX96({ price, priceOf: 'token0', decimals0: 6, decimals1: 18 })).toThrow(
        InvalidPoolParametersError,
      )
    }
  })
})

describe('sqrtFloor', () => {
  it('is the floor square root: r^2 <= n < (r+1)^2', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 320n }), (n) => {
        const r = sqrtFloor(n)
        return r * r <= n && (r + 1n) * (r + 1n) > n
      }),
    )
  })
})
