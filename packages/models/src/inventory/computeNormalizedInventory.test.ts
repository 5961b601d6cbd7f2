import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeNormalizedInventory } from './computeNormalizedInventory.js'

// Hummingbot: inventory_in_base = quote/price + base ; target = inventory_in_base · pct/100 ;
// q = (base − target) / inventory_in_base.
describe('computeNormalizedInventory', () => {
  it('1 ETH + 3000 USDC at 2000, target 50 % → q = (1 − 1.25)/2.5 = −0.1', () => {
    const r = computeNormalizedInventory({
      baseBalanceBase: 1,
      quoteBalanceQuote: 3000,
      midPrice: 2000,
      targetBasePct: 50,
    })
    expect(r.inventoryInBase).toBeCloseTo(2.5, 12)
    expect(r.targetBase).toBeCloseTo(1.25, 12)
    expect(r.q).toBeCloseTo(-0.1, 12)
  })

  it('all in base with a 50 % target → +0.5; all in quote → −0.5; target 0 % and all in base → 1', () => {
    expect(
      computeNormalizedInventory({ baseBalanceBase: 2, quoteBalanceQuote: 0, midPrice: 10, targetBasePct: 50 }).q,
    ).toBe(0.5)
    expect(
      computeNormalizedInventory({ baseBalanceBase: 0, quoteBalanceQuote: 20, midPrice: 10, targetBasePct: 50 }).q,
    ).toBe(-0.5)
    expect(
      computeNormalizedInventory({ baseBalanceBase: 2, quoteBalanceQuote: 0, midPrice: 10, targetBasePct: 0 }).q,
    ).toBe(1)
  })

  it.each([
    ['baseBalanceBase', -1],
    ['quoteBalanceQuote', Number.NaN],
    ['midPrice', 0],
    ['targetBasePct', 101],
    ['targetBasePct', -1],
  ] as const)('rejects %s = %s', (field, value) => {
    let caught: unknown
    try {
      computeNormalizedInventory({
        baseBalanceBase: 1,
        quoteBalanceQuote: 100,
        midPrice: 100,
        targetBasePct: 50,
        [field]: value,
      })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
    expect(Object.is((caught as InvalidParameterError).value, value)).toBe(true)
  })

  it('rejects an empty portfolio naming inventoryInBase', () => {
    expect(() =>
      computeNormalizedInventory({ baseBalanceBase: 0, quoteBalanceQuote: 0, midPrice: 100, targetBasePct: 50 }),
    ).toThrow(expect.objectContaining({ name: 'InvalidParameterError', field: 'inventoryInBase', value: 0 }))
  })
})
