import { describe, expect, it } from 'vitest'
import { InvalidDecimalError } from '../../errors/decimal.js'
import { inverseAmountUsdToSizeBase } from './inverseAmountUsdToSizeBase.js'

// amountUsd / price by long division, truncated toward zero at 12 decimals (digits checked with Python's decimal module).
describe('inverseAmountUsdToSizeBase', () => {
  it('exact quotients keep their short form: 600 / 60000 = 0.01; 1000 / 50000 = 0.02', () => {
    expect(inverseAmountUsdToSizeBase('600', '60000')).toBe('0.01')
    expect(inverseAmountUsdToSizeBase('1000', '50000')).toBe('0.02')
  })

  it('truncates repeating quotients: 10 / 60000 = 0.000166666666|66… → 0.000166666666', () => {
    expect(inverseAmountUsdToSizeBase('10', '60000')).toBe('0.000166666666')
  })

  it('730 / 60000.5 = 0.012166565278|6226… → 0.012166565278; 1500 / 3000.05 = 0.499991666805|55… → 0.499991666805', () => {
    expect(inverseAmountUsdToSizeBase('730', '60000.5')).toBe('0.012166565278')
    expect(inverseAmountUsdToSizeBase('1500', '3000.05')).toBe('0.499991666805')
  })

  it('keeps the sign of a signed amount (short) and truncates toward zero', () => {
    expect(inverseAmountUsdToSizeBase('-10', '60000')).toBe('-0.000166666666')
    expect(inverseAmountUsdToSizeBase('0', '60000')).toBe('0')
  })

  it('rejects a zero price', () => {
    expect(() => inverseAmountUsdToSizeBase('10', '0')).toThrow(InvalidDecimalError)
  })
})
