import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeAsReservationPrice } from './computeAsReservationPrice.js'

describe('computeAsReservationPrice', () => {
  it('r = s − qγσ²(T − t), by hand', () => {
    // 100 − 2 · 0.1 · 4 · 1 = 99.2
    expect(
      computeAsReservationPrice({ midPrice: 100, q: 2, gammaPerPrice: 0.1, sigmaPerSqrtTime: 2, timeToHorizon: 1 }),
    ).toBeCloseTo(99.2, 12)
    // 2500 − (−3) · 0.02 · 1.5² · 0.25 = 2500 + 0.03375
    expect(
      computeAsReservationPrice({
        midPrice: 2500,
        q: -3,
        gammaPerPrice: 0.02,
        sigmaPerSqrtTime: 1.5,
        timeToHorizon: 0.25,
      }),
    ).toBeCloseTo(2500.03375, 9)
  })

  it('is the mid at q = 0, at T − t = 0 and with σ = 0', () => {
    const p = { midPrice: 100, q: 5, gammaPerPrice: 0.1, sigmaPerSqrtTime: 2, timeToHorizon: 1 }
    expect(computeAsReservationPrice({ ...p, q: 0 })).toBe(100)
    expect(computeAsReservationPrice({ ...p, timeToHorizon: 0 })).toBe(100)
    expect(computeAsReservationPrice({ ...p, sigmaPerSqrtTime: 0 })).toBe(100)
  })

  it('rejects an overflow (q·γσ²(T − t) = 1e308 · 0.1 · 4 · 10 = 4e308) naming q', () => {
    expect(() =>
      computeAsReservationPrice({
        midPrice: 100,
        q: 1e308,
        gammaPerPrice: 0.1,
        sigmaPerSqrtTime: 2,
        timeToHorizon: 10,
      }),
    ).toThrow(expect.objectContaining({ name: 'InvalidParameterError', field: 'q', value: 1e308 }))
  })

  it.each([
    ['midPrice', 0],
    ['midPrice', Number.NaN],
    ['q', Number.NaN],
    ['q', Number.NEGATIVE_INFINITY],
    ['gammaPerPrice', -1],
    ['sigmaPerSqrtTime', Number.NaN],
    ['timeToHorizon', -1],
  ] as const)('rejects %s = %s naming the field and value', (field, value) => {
    const input = { midPrice: 100, q: 1, gammaPerPrice: 0.1, sigmaPerSqrtTime: 2, timeToHorizon: 1, [field]: value }
    let caught: unknown
    try {
      computeAsReservationPrice(input)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
    expect(Object.is((caught as InvalidParameterError).value, value)).toBe(true)
  })
})
