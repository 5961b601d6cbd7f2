import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { applySlippage } from './applySlippage.js'

describe('applySlippage', () => {
  it('floors amount × (10 000 − bps) / 10 000', () => {
    expect(applySlippage(10_000n, 50)).toBe(9_950n)
    // 1 234 567 × 9 950 / 10 000 = 1 228 394.165 -> 1 228 394
    expect(applySlippage(1_234_567n, 50)).toBe(1_228_394n)
    expect(applySlippage(1n, 1)).toBe(0n)
    expect(applySlippage(123n, 0)).toBe(123n)
    expect(applySlippage(123n, 10_000)).toBe(0n)
  })

  it('rejects a tolerance outside [0, 10 000] or not an integer', () => {
    for (const bps of [-1, 10_001, 0.5, Number.NaN]) expect(() => applySlippage(1n, bps)).toThrow(InvalidParameterError)
  })
})
