import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../../errors/parameter.js'
import { expmDense } from './expmDense.js'

describe('expmDense', () => {
  it('exponentiates a diagonal matrix entrywise', () => {
    const e = expmDense([1, 0, 0, 0, -2, 0, 0, 0, 30], 3)
    expect(e[0]).toBeCloseTo(Math.E, 14)
    expect(e[4]! / Math.exp(-2)).toBeCloseTo(1, 13)
    expect(e[8]! / Math.exp(30)).toBeCloseTo(1, 12)
    for (const i of [1, 2, 3, 5, 6, 7]) expect(e[i]).toBe(0)
  })

  it('gives a rotation for the skew generator [[0, −θ], [θ, 0]] (needs scaling and squaring for θ = 25)', () => {
    for (const theta of [0.1, 1, 25]) {
      const e = expmDense([0, -theta, theta, 0], 2)
      expect(e[0]).toBeCloseTo(Math.cos(theta), 11)
      expect(e[1]).toBeCloseTo(-Math.sin(theta), 11)
      expect(e[2]).toBeCloseTo(Math.sin(theta), 11)
      expect(e[3]).toBeCloseTo(Math.cos(theta), 11)
    }
  })

  it('is exact on the nilpotent Jordan block: exp([[a, 1], [0, a]]) = e^a·[[1, 1], [0, 1]]', () => {
    const a = 0.5
    const e = expmDense([a, 1, 0, a], 2)
    expect(e[0]! / Math.exp(a)).toBeCloseTo(1, 14)
    expect(e[1]! / Math.exp(a)).toBeCloseTo(1, 14)
    expect(e[2]).toBe(0)
    expect(e[3]! / Math.exp(a)).toBeCloseTo(1, 14)
  })

  it('matches the closed form of a symmetric 2×2: exp([[a, b], [b, a]]) = e^a·[[cosh b, sinh b], [sinh b, cosh b]]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        (a, b) => {
          const e = expmDense([a, b, b, a], 2)
          const scale = Math.exp(a) * Math.cosh(b)
          expect(Math.abs(e[0]! - Math.exp(a) * Math.cosh(b)) / scale).toBeLessThan(1e-12)
          expect(Math.abs(e[1]! - Math.exp(a) * Math.sinh(b)) / scale).toBeLessThan(1e-12)
        },
      ),
      { numRuns: 100, seed: 2005 },
    )
  })

  it('rejects a wrong length, a bad order and non-finite entries', () => {
    expect(() => expmDense([1, 2, 3], 2)).toThrow(InvalidParameterError)
    expect(() => expmDense([1], 0)).toThrow(/Invalid n: 0/)
    expect(() => expmDense([1, Number.NaN, 0, 1], 2)).toThrow(/matrix\[1\]: NaN/)
  })
})
