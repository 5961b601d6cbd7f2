import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DegenerateFitError, InsufficientDataError, InvalidSampleError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { fitLeastSquaresLine } from './fitLeastSquaresLine.js'

describe('fitLeastSquaresLine', () => {
  it('matches a hand computation', () => {
    // x = 0,1,2,3; y = 1,3,2,5: x̄ = 1.5, ȳ = 2.75, Sxx = 5, Sxy = 5.5 → slope 1.1, intercept 1.1;
    // residuals −0.1, 0.8, −1.3, 0.6 → SS_res = 0.01 + 0.64 + 1.69 + 0.36 = 2.7; SS_tot = 8.75 → R² = 1 − 2.7/8.75 = 121/175.
    const r = fitLeastSquaresLine({ x: [0, 1, 2, 3], y: [1, 3, 2, 5] })
    expect(r.slope).toBeCloseTo(1.1, 14)
    expect(r.intercept).toBeCloseTo(1.1, 14)
    expect(r.rSquared).toBeCloseTo(121 / 175, 14)
    expect(r.pointCount).toBe(4)
  })

  it('property: recovers any exact line with R² = 1', () => {
    fc.assert(
      fc.property(
        // Slopes and intercepts on a 1/16 grid, slope ≠ 0 (R² of a constant y is 1 by definition, tested below).
        fc
          .integer({ min: -1600, max: 1600 })
          .filter((v) => v !== 0)
          .map((v) => v / 16),
        fc.integer({ min: -1600, max: 1600 }).map((v) => v / 16),
        fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 50 }),
        (slope, intercept, xs) => {
          const r = fitLeastSquaresLine({ x: xs, y: xs.map((x) => intercept + slope * x) })
          expect(r.slope).toBeCloseTo(slope, 6)
          expect(r.intercept).toBeCloseTo(intercept, 5)
          expect(r.rSquared).toBeGreaterThan(1 - 1e-9)
        },
      ),
      { seed: 7, numRuns: 200 },
    )
  })

  it('returns R² = 1 for a constant y (the horizontal line fits exactly)', () => {
    expect(fitLeastSquaresLine({ x: [1, 2, 3], y: [4, 4, 4] })).toEqual({
      slope: 0,
      intercept: 4,
      rSquared: 1,
      pointCount: 3,
    })
  })

  it('rejects bad inputs', () => {
    expect(() => fitLeastSquaresLine({ x: [1], y: [1] })).toThrow(InsufficientDataError)
    expect(() => fitLeastSquaresLine({ x: [1, 2], y: [1] })).toThrow(InvalidParameterError)
    expect(() => fitLeastSquaresLine({ x: [2, 2, 2], y: [1, 2, 3] })).toThrow(DegenerateFitError)
    expect(() => fitLeastSquaresLine({ x: [1, 2, 3], y: [1, Number.NaN, 3] })).toThrow(/y\[1\]: NaN/)
    expect(() => fitLeastSquaresLine({ x: [1, Number.POSITIVE_INFINITY], y: [1, 2] })).toThrow(InvalidSampleError)
  })
})
