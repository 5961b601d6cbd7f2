import { describe, expect, it } from 'vitest'
import { InvalidAmountError } from '../errors/liquidity.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { priceToSqrtPriceX96 } from '../math/priceTick.js'
import { computeInventoryDeviation } from './computeInventoryDeviation.js'

describe('computeInventoryDeviation', () => {
  it('2,500 USDC + 1 ETH at 2,000 USD/ETH: ETH is 2000/4500 = 44.4 % of the value', () => {
    const sqrtPriceX96 = priceToSqrtPriceX96('2000', { baseToken: 'token1', decimals0: 6, decimals1: 18 })
    const r = computeInventoryDeviation({
      amount0Raw: 2500n * 10n ** 6n,
      amount1Raw: 10n ** 18n,
      sqrtPriceX96,
      baseToken: 'token1',
      targetBaseShare: 0.5,
    })
    // 2500 USDC in WETH wei at 5e8 wei per USDC unit = 1.25e18 (floor of the Q96 rounding)
    expect(r.value0InToken1Raw).toBeLessThanOrEqual(1250000000000000000n)
    expect(r.value0InToken1Raw).toBeGreaterThan(1249999999999999000n)
    expect(r.baseShare).toBeCloseTo(2000 / 4500, 12)
    expect(r.deviation).toBeCloseTo(2000 / 4500 - 0.5, 12)
  })
  it('zero holdings → share 0', () => {
    const r = computeInventoryDeviation({
      amount0Raw: 0n,
      amount1Raw: 0n,
      sqrtPriceX96: 2n ** 96n,
      baseToken: 'token0',
      targetBaseShare: 0.5,
    })
    expect(r.baseShare).toBe(0)
  })
  it('rejects negative amounts and targets outside [0, 1]', () => {
    const ok = {
      amount0Raw: 1n,
      amount1Raw: 1n,
      sqrtPriceX96: 2n ** 96n,
      baseToken: 'token0' as const,
      targetBaseShare: 0.5,
    }
    expect(() => computeInventoryDeviation({ ...ok, amount0Raw: -1n })).toThrow(InvalidAmountError)
    expect(() => computeInventoryDeviation({ ...ok, targetBaseShare: 1.5 })).toThrow(InvalidParameterError)
  })
})
