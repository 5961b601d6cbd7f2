import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { spreadToTicks } from './spreadToTicks.js'

describe('spreadToTicks', () => {
  it('BASE_SPREAD 0.02 → 199 ticks (ln 1.02 / ln 1.0001 = 198.03, rounded up)', () => {
    expect(spreadToTicks(0.02)).toBe(199)
    expect(1.0001 ** 199 >= 1.02 && 1.0001 ** 198 < 1.02).toBe(true)
  })
  it('exactly one tick', () => {
    expect(spreadToTicks(0.0001)).toBe(1)
  })
  it('rejects non-positive spreads', () => {
    expect(() => spreadToTicks(0)).toThrow(InvalidParameterError)
    expect(() => spreadToTicks(Number.NaN)).toThrow(InvalidParameterError)
  })
})
