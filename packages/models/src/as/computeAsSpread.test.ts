import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeAsSpread } from './computeAsSpread.js'

// Hand computation, AS 2008 simulation set-up σ = 2, k = 1.5 (docs/models.md, "The AS 2008 reproduction"):
//   constant term (2/γ)·ln(1 + γ/k):
//     γ = 0.1  → 20 · ln(16/15)   = 20 · 0.0645385 = 1.2908
//     γ = 0.01 → 200 · ln(151/150) = 200 · 0.0066445 = 1.3289
//     γ = 0.5  → 4 · ln(4/3)     = 4 · 0.2876821 = 1.1507
//     γ = 1    → 2 · ln(5/3)     = 2 · 0.5108256 = 1.0217
//   continuous time average over [0, T = 1] of γσ²(T − t) is γσ²/2 = 2γ, so the average spread is
//     1.2908 + 0.2 = 1.4908, 1.3289 + 0.02 = 1.3489, 1.1507 + 1 = 2.1507, 1.0217 + 2 = 3.0217.
const base = { sigmaPerSqrtTime: 2, kPerPrice: 1.5 }

describe('computeAsSpread', () => {
  it.each([
    [0.1, 1.2908],
    [0.01, 1.3289],
    [0.5, 1.1507],
    [1, 1.0217],
  ])('γ = %s: constant term at T − t = 0 is %s', (gamma, expected) => {
    expect(computeAsSpread({ ...base, gammaPerPrice: gamma, timeToHorizon: 0 })).toBeCloseTo(expected, 4)
  })

  it.each([
    [0.1, 1.4908],
    [0.01, 1.3489],
    [0.5, 2.1507],
    [1, 3.0217],
  ])('γ = %s: spread at T − t = ½ (the time average over [0, 1]) is %s', (gamma, expected) => {
    expect(computeAsSpread({ ...base, gammaPerPrice: gamma, timeToHorizon: 0.5 })).toBeCloseTo(expected, 4)
  })

  it('γ = 0.1: the 200-step left-point average is 1.4918 (§7)', () => {
    let sum = 0
    for (let i = 0; i < 200; i++)
      sum += computeAsSpread({ ...base, gammaPerPrice: 0.1, timeToHorizon: (200 - i) * 0.005 })
    // γσ² · mean(T − t_i) = 0.4 · (1 − 0.005 · 199/2) = 0.4 · 0.5025 = 0.201; 1.29077 + 0.201 = 1.49177
    expect(sum / 200).toBeCloseTo(1.4918, 4)
  })

  it('keeps precision for tiny γ/k (log1p): γ = 1e-12, k = 1 → 2/k = 2', () => {
    expect(computeAsSpread({ gammaPerPrice: 1e-12, sigmaPerSqrtTime: 0, kPerPrice: 1, timeToHorizon: 0 })).toBeCloseTo(
      2,
      10,
    )
  })

  it.each([
    ['gammaPerPrice', 0],
    ['gammaPerPrice', -0.1],
    ['gammaPerPrice', Number.NaN],
    ['kPerPrice', 0],
    ['kPerPrice', Number.POSITIVE_INFINITY],
    ['sigmaPerSqrtTime', -1],
    ['timeToHorizon', -0.001],
  ] as const)('rejects %s = %s naming the field and value', (field, value) => {
    const input = { gammaPerPrice: 0.1, sigmaPerSqrtTime: 2, kPerPrice: 1.5, timeToHorizon: 1, [field]: value }
    let caught: unknown
    try {
      computeAsSpread(input)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
    expect((caught as InvalidParameterError).value).toBe(value)
    expect((caught as InvalidParameterError).code).toBe('INVALID_PARAMETER')
  })
})
