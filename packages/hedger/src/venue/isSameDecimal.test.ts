import { describe, expect, it } from 'vitest'
import { isSameDecimal } from './isSameDecimal.js'

describe('isSameDecimal', () => {
  it('compares values, not spellings', () => {
    expect(isSameDecimal('60000.5', '60000.50')).toBe(true)
    expect(isSameDecimal('10', '10.000')).toBe(true)
    expect(isSameDecimal('-0.5', '-0.50')).toBe(true)
    expect(isSameDecimal('0.5', '-0.5')).toBe(false)
    expect(isSameDecimal('1', '1.0001')).toBe(false)
    expect(isSameDecimal('1e1', '10')).toBe(false)
  })
})
