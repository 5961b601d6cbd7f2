import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseScaledInt } from './parseScaledInt.js'

describe('parseScaledInt', () => {
  it('parses venue strings to integers at a scale (hand-computed)', () => {
    expect(parseScaledInt('2681.62', 2)).toBe(268162)
    expect(parseScaledInt('73.077', 3)).toBe(73077)
    expect(parseScaledInt('0.000', 3)).toBe(0)
    expect(parseScaledInt('2683.80000000', 2)).toBe(268380)
    expect(parseScaledInt('5', 3)).toBe(5000)
    expect(parseScaledInt('200.0', 2)).toBe(20000)
  })

  it('returns NaN for malformed or off-scale input', () => {
    for (const bad of ['', '.', '1.', '.1', '-1', '1e3', '1.2.3', 'abc', '2681.625']) {
      expect(parseScaledInt(bad, 2)).toBeNaN()
    }
    expect(parseScaledInt('99999999999999999', 2)).toBeNaN() // > 2^53 after scaling
  })

  it('property: agrees with exact bigint parsing', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 3 }), (m, s) => {
        const text =
          s === 0 ? m.toString() : `${m / 10n ** BigInt(s)}.${(m % 10n ** BigInt(s)).toString().padStart(s, '0')}`
        return parseScaledInt(text, 3) === Number(m * 10n ** BigInt(3 - s))
      }),
    )
  })
})
