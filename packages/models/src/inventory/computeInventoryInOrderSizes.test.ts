import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeInventoryInOrderSizes } from './computeInventoryInOrderSizes.js'

describe('computeInventoryInOrderSizes', () => {
  it('q = inventory / order size', () => {
    expect(computeInventoryInOrderSizes({ inventoryBase: 0.6, orderSizeBase: 0.2 })).toBeCloseTo(3, 12)
    expect(computeInventoryInOrderSizes({ inventoryBase: -1.5, orderSizeBase: 0.5 })).toBe(-3)
    expect(computeInventoryInOrderSizes({ inventoryBase: 0, orderSizeBase: 2 })).toBe(0)
  })

  it.each([
    ['inventoryBase', Number.NaN],
    ['inventoryBase', Number.POSITIVE_INFINITY],
    ['orderSizeBase', 0],
    ['orderSizeBase', -1],
  ] as const)('rejects %s = %s', (field, value) => {
    let caught: unknown
    try {
      computeInventoryInOrderSizes({ inventoryBase: 1, orderSizeBase: 1, [field]: value })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
    expect(Object.is((caught as InvalidParameterError).value, value)).toBe(true)
  })
})
