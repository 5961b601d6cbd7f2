import { describe, expect, it } from 'vitest'
import { InvalidAmountError } from '../errors/liquidity.js'
import { valueInUsd } from './valueInUsd.js'

const E18 = 10n ** 18n

describe('valueInUsd', () => {
  it('2,500 USDC + 1 ETH at $1 and $2,000 = $4,500 exactly', () => {
    const v = valueInUsd({
      amount0Raw: 2500n * 10n ** 6n,
      amount1Raw: E18,
      decimals0: 6,
      decimals1: 18,
      prices: { token0: '1', token1: '2000' },
      usdDecimals: 6,
    })
    expect(v).toEqual({ usd: '4500.000000', usdNumber: 4500 })
  })
  it('rounds down and keeps sub-cent precision', () => {
    const v = valueInUsd({
      amount0Raw: 1n,
      amount1Raw: 0n,
      decimals0: 6,
      decimals1: 18,
      prices: { token0: '0.9999', token1: '1' },
      usdDecimals: 8,
    })
    expect(v.usd).toBe('0.00000099') // 0.000001 · 0.9999 = 9.999e-7
  })
  it('rejects negative amounts', () => {
    expect(() =>
      valueInUsd({
        amount0Raw: -1n,
        amount1Raw: 0n,
        decimals0: 6,
        decimals1: 18,
        prices: { token0: '1', token1: '1' },
        usdDecimals: 2,
      }),
    ).toThrow(InvalidAmountError)
  })
})
