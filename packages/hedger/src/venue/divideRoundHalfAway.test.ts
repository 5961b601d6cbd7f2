import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { divideRoundHalfAway } from './divideRoundHalfAway.js'

describe('divideRoundHalfAway', () => {
  it('rounds to the nearest integer, ties away from zero', () => {
    expect(divideRoundHalfAway(7n, 2n)).toBe(4n) // 3.5 → 4
    expect(divideRoundHalfAway(-7n, 2n)).toBe(-4n) // −3.5 → −4
    expect(divideRoundHalfAway(5n, 2n)).toBe(3n) // 2.5 → 3 (away from zero, not to even)
    expect(divideRoundHalfAway(10n, 3n)).toBe(3n) // 3.33… → 3
    expect(divideRoundHalfAway(11n, 3n)).toBe(4n) // 3.66… → 4
    expect(divideRoundHalfAway(-11n, 3n)).toBe(-4n)
    expect(divideRoundHalfAway(1n, 3n)).toBe(0n)
    expect(divideRoundHalfAway(-1n, 3n)).toBe(0n)
    expect(divideRoundHalfAway(0n, 7n)).toBe(0n)
    expect(divideRoundHalfAway(12n, 4n)).toBe(3n)
  })
  it('refuses a non-positive divisor', () => {
    expect(() => divideRoundHalfAway(1n, 0n)).toThrow(RangeError)
    expect(() => divideRoundHalfAway(1n, -2n)).toThrow(RangeError)
  })
  it('property: |q·d − n| ≤ d/2 (at most half a unit off), exact quotients unchanged, odd around zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        (n, d) => {
          const q = divideRoundHalfAway(n, d)
          const error = q * d - n
          expect(2n * (error < 0n ? -error : error) <= d).toBe(true)
          // a tie (error exactly d/2) goes away from zero
          if (2n * (error < 0n ? -error : error) === d) expect(q < 0n ? -q : q).toBeGreaterThan(n < 0n ? -n / d : n / d)
          expect(divideRoundHalfAway(-n, d)).toBe(-q)
          expect(divideRoundHalfAway(n * d, d)).toBe(n)
        },
      ),
      { numRuns: 500, seed: 20261207 },
    )
  })
})
