import { describe, expect, it } from 'vitest'
import { formatGridUnits, parseGridUnits, toDecimalStep } from './decimalTicks.js'

const step = (text: string) => {
  const parsed = toDecimalStep(text)
  if (parsed === null) throw new Error(`bad step ${text}`)
  return parsed
}

describe('decimal grid conversions', () => {
  it('formats ticks with exactly the increment decimals', () => {
    expect(formatGridUnits(300_012, step('0.01'))).toBe('3000.12')
    expect(formatGridUnits(3, step('0.05'))).toBe('0.15') // 3 × 0.05
    expect(formatGridUnits(7, step('0.001'))).toBe('0.007')
    expect(formatGridUnits(-1500, step('0.001'))).toBe('-1.500')
    expect(formatGridUnits(12, step('10'))).toBe('120')
    expect(formatGridUnits(5, step('0.0100'))).toBe('0.05') // trailing zeros of the increment do not add decimals
  })
  it('parses decimal strings to whole grid units and rejects off-grid values', () => {
    expect(parseGridUnits('3000.12', step('0.01'))).toBe(300_012)
    expect(parseGridUnits('3000.1', step('0.01'))).toBe(300_010)
    expect(parseGridUnits('0.15', step('0.05'))).toBe(3)
    expect(parseGridUnits('0.17', step('0.05'))).toBeNull()
    expect(parseGridUnits('1.0005', step('0.001'))).toBeNull()
    expect(parseGridUnits('1e3', step('0.001'))).toBeNull()
    expect(parseGridUnits('-0.250', step('0.001'))).toBe(-250)
  })
  it('rejects non-positive or malformed increments', () => {
    expect(toDecimalStep('0')).toBeNull()
    expect(toDecimalStep('-0.01')).toBeNull()
    expect(toDecimalStep('abc')).toBeNull()
  })
})
