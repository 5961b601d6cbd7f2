import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeShapedOrderSizes } from './computeShapedOrderSizes.js'

// Fixed seed: the property runs are the same on every run (deterministic tests); change it to explore further.
const FC_PARAMETERS = { seed: 20080217, numRuns: 200 }

describe('computeShapedOrderSizes', () => {
  it('q = 0.5, η = 1: buy × e^−0.5 = 0.60653 → 6 lots of 0.1; sell unchanged → 10 lots', () => {
    const r = computeShapedOrderSizes({ orderSizeBase: 1, q: 0.5, eta: 1, lotSizeBase: 0.1, rounding: 'down' })
    expect(r).toMatchObject({ bidLots: 6, askLots: 10, bidDropped: false, askDropped: false })
    expect(r.bidSizeBase).toBeCloseTo(0.6, 12)
    expect(r.askSizeBase).toBeCloseTo(1, 12)
  })

  it("q = 0.2, η = 1: e^−0.2 = 0.81873 → 'down' 8 lots, 'nearest' 8 lots; q = 0.1: 0.904837 → 9 / 9", () => {
    expect(
      computeShapedOrderSizes({ orderSizeBase: 1, q: 0.2, eta: 1, lotSizeBase: 0.1, rounding: 'down' }).bidLots,
    ).toBe(8)
    expect(
      computeShapedOrderSizes({ orderSizeBase: 1, q: 0.1, eta: 1, lotSizeBase: 0.1, rounding: 'nearest' }).bidLots,
    ).toBe(9)
    // e^−0.05 = 0.951229: down → 9, nearest → 10
    expect(
      computeShapedOrderSizes({ orderSizeBase: 1, q: 0.05, eta: 1, lotSizeBase: 0.1, rounding: 'down' }).bidLots,
    ).toBe(9)
    expect(
      computeShapedOrderSizes({ orderSizeBase: 1, q: 0.05, eta: 1, lotSizeBase: 0.1, rounding: 'nearest' }).bidLots,
    ).toBe(10)
  })

  it('q = −2, η = 1: sell × e^−2 = 0.1353 → 0 lots of 0.2: the ask is dropped, the bid is whole', () => {
    const r = computeShapedOrderSizes({ orderSizeBase: 1, q: -2, eta: 1, lotSizeBase: 0.2, rounding: 'down' })
    expect(r).toMatchObject({ bidLots: 5, askLots: 0, askSizeBase: 0, askDropped: true, bidDropped: false })
  })

  it('0.3 base in lots of 0.1 is exactly 3 lots despite 0.3 / 0.1 = 2.9999999999999996', () => {
    expect(0.3 / 0.1).toBeLessThan(3)
    const r = computeShapedOrderSizes({ orderSizeBase: 0.3, q: 0, eta: 5, lotSizeBase: 0.1, rounding: 'down' })
    expect(r.bidLots).toBe(3)
    expect(r.askLots).toBe(3)
  })

  it('only the side that grows |q| shrinks, and never grows (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (q, eta) => {
          const r = computeShapedOrderSizes({ orderSizeBase: 10, q, eta, lotSizeBase: 0.001, rounding: 'down' })
          if (q >= 0) expect(r.askLots).toBe(10000)
          if (q <= 0) expect(r.bidLots).toBe(10000)
          expect(r.bidLots).toBeLessThanOrEqual(10000)
          expect(r.askLots).toBeLessThanOrEqual(10000)
          expect(Number.isInteger(r.bidLots) && Number.isInteger(r.askLots)).toBe(true)
        },
      ),
      FC_PARAMETERS,
    )
  })

  it.each([
    ['orderSizeBase', 0],
    ['q', Number.NaN],
    ['eta', -0.1],
    ['lotSizeBase', 0],
    ['rounding', 'up'],
  ] as const)('rejects %s = %s', (field, value) => {
    let caught: unknown
    try {
      computeShapedOrderSizes({
        orderSizeBase: 1,
        q: 0,
        eta: 1,
        lotSizeBase: 0.1,
        rounding: 'down',
        [field]: value,
      } as never)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
    expect(Object.is((caught as InvalidParameterError).value, value)).toBe(true)
  })
})
