import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { divRound } from './divRound.js'
import { formatScaled } from './formatScaled.js'
import { countDecimals, parseScaled } from './parseScaled.js'

describe('parseScaled / formatScaled', () => {
  it('parses decimal strings exactly (hand-checked values)', () => {
    expect(parseScaled('2681.62', 2, 'price')).toBe(268_162n)
    expect(parseScaled('0.100', 2, 'price')).toBe(10n) // trailing zeros beyond the scale are fine
    expect(parseScaled('1', 8, 'amount')).toBe(100_000_000n)
    expect(parseScaled('-0.5', 1, 'pnl')).toBe(-5n)
    expect(() => parseScaled('0.105', 2, 'price')).toThrow(/at most 2 fractional digits/)
    expect(() => parseScaled('1e3', 2, 'price')).toThrow(/plain decimal/)
    expect(countDecimals('0.010')).toBe(3)
  })

  it('formats with exactly `decimals` digits', () => {
    expect(formatScaled(268_162n, 2)).toBe('2681.62')
    expect(formatScaled(5n, 3)).toBe('0.005')
    expect(formatScaled(-5n, 3)).toBe('-0.005')
    expect(formatScaled(7n, 0)).toBe('7')
  })

  it('round-trips every integer (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 18 }),
        (units, decimals) => {
          expect(parseScaled(formatScaled(units, decimals), decimals, 'x')).toBe(units)
        },
      ),
      { seed: 7 },
    )
  })
})

describe('divRound', () => {
  it('rounds toward the requested direction for every sign combination', () => {
    expect([divRound(7n, 2n, 'floor'), divRound(7n, 2n, 'ceil'), divRound(7n, 2n, 'trunc')]).toEqual([3n, 4n, 3n])
    expect([divRound(-7n, 2n, 'floor'), divRound(-7n, 2n, 'ceil'), divRound(-7n, 2n, 'trunc')]).toEqual([-4n, -3n, -3n])
    expect([divRound(7n, -2n, 'floor'), divRound(7n, -2n, 'ceil')]).toEqual([-4n, -3n])
    expect(divRound(6n, 3n, 'ceil')).toBe(2n)
  })
})
