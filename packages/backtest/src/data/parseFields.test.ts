import { describe, expect, it } from 'vitest'
import { InvalidFieldError } from '../errors/input.js'
import { parseSafeIntegerField, parseUtcDateTimeField } from './parseFields.js'

const ctx = { file: 'f.csv', row: 7, field: 'block_timestamp' }

describe('parseUtcDateTimeField', () => {
  it('converts UTC date-times to epoch nanoseconds (vectors from `date -u -d … +%s`)', () => {
    // date -u -d '2024-01-05 00:00:23' +%s → 1704412823 ; date -u -d '2024-02-29 23:59:59' +%s → 1709251199
    expect(parseUtcDateTimeField('2024-01-05 00:00:23', ctx)).toBe(1_704_412_823_000_000_000n)
    expect(parseUtcDateTimeField('2024-02-29 23:59:59', ctx)).toBe(1_709_251_199_000_000_000n)
    // same day again, a different time (the day cache must not leak the previous time)
    expect(parseUtcDateTimeField('2024-02-29 00:00:00', ctx)).toBe(1_709_164_800_000_000_000n)
    expect(parseUtcDateTimeField('2024-01-05 00:00:23', ctx)).toBe(1_704_412_823_000_000_000n)
  })

  it.each([
    ['2023-02-29 00:00:00', 'not a leap year'],
    ['2024-13-01 00:00:00', 'month 13'],
    ['2024-01-05 24:00:00', 'hour 24'],
    ['2024-01-05 10:60:00', 'minute 60'],
    ['2024-01-05T00:00:23', 'ISO T separator'],
    ['2024-01-05 0:00:23', 'short hour'],
    ['2024-01-05 00:0a:23', 'letter in minutes'],
    ['', 'empty'],
  ])('rejects %s (%s) with an InvalidFieldError naming file, row and field', (value) => {
    expect(() => parseUtcDateTimeField(value, ctx)).toThrow(InvalidFieldError)
    expect(() => parseUtcDateTimeField(value, ctx)).toThrow(/f\.csv row 7/)
  })
})

describe('parseSafeIntegerField', () => {
  it('parses block numbers and log indices; rejects signs, decimals and values above 2^53 − 1', () => {
    expect(parseSafeIntegerField('18937382', ctx)).toBe(18_937_382)
    expect(parseSafeIntegerField('9007199254740991', ctx)).toBe(2 ** 53 - 1)
    for (const bad of ['-1', '1.0', '', ' 1', '9007199254740992', '0x10'])
      expect(() => parseSafeIntegerField(bad, ctx)).toThrow(InvalidFieldError)
  })
})
