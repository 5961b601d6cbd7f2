import { describe, expect, it } from 'vitest'
import { suggestKey } from './findUnknownKeys.js'
import { scanJsonPositions } from './scanJsonPositions.js'

describe('scanJsonPositions', () => {
  it('gives the line and column where each value starts, keyed by the config path', () => {
    const text = '{\n  "pool": { "feePips": 500 },\n  "venues": [\n    { "tickSize": "0.01" }\n  ]\n}\n'
    const scan = scanJsonPositions(text)
    expect(scan.ok).toBe(true)
    if (!scan.ok) return
    expect(scan.positions.get('')).toEqual({ line: 1, column: 1 })
    expect(scan.positions.get('pool')).toEqual({ line: 2, column: 11 })
    expect(scan.positions.get('pool.feePips')).toEqual({ line: 2, column: 24 })
    expect(scan.positions.get('venues[0].tickSize')).toEqual({ line: 4, column: 19 })
  })

  it.each([
    ['a trailing comma', '{\n  "a": 1,\n}', 3, 1, 'a property name in double quotes'],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, `',' or '}' after the value of "a"`],
    ['a bare word', '{ "a": yes }', 1, 8, 'a value (object, array, string, number, true, false or null)'],
    ['an unclosed object', '{ "a": 1', 1, 9, `',' or '}' after the value of "a"`],
    ['text after the value', '{}\n{}', 2, 1, 'end of file after the top-level value'],
  ])('%s: the first offending character', (_, text, line, column, expected) => {
    const scan = scanJsonPositions(text)
    expect(scan).toMatchObject({ ok: false, line, column, expected })
    // JSON.parse agrees that the text is invalid.
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
  })
})

describe('suggestKey', () => {
  it('suggests the closest key of the same object, or nothing when none is close', () => {
    const keys = ['warmUpMinutes', 'minIntervalMs', 'initialAmount0Raw']
    expect(suggestKey('warmUpMinute', keys)).toBe('warmUpMinutes')
    expect(suggestKey('warmupminutes', keys)).toBe('warmUpMinutes')
    expect(suggestKey('minIntervalMS', keys)).toBe('minIntervalMs')
    expect(suggestKey('colour', keys)).toBeUndefined()
  })
})
