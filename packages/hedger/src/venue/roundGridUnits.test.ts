import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatGridUnits, toDecimalStep } from './decimalTicks.js'
import { roundGridUnits } from './roundGridUnits.js'

const lot = toDecimalStep('0.001')
if (!lot) throw new Error('bad step')

describe('roundGridUnits (nearest unit, ties away from zero)', () => {
  it('Deribit inverse sizes (USD / price, 12 decimals) to lots of 0.001', () => {
    // 805 USD at 2684.95 = 0.299819363116|… ETH → 299.82 lots → 300
    expect(roundGridUnits('0.299819363116', lot)).toBe(300)
    // 730 USD at 60000.5 = 0.012166565278 → 12.17 lots → 12
    expect(roundGridUnits('0.012166565278', lot)).toBe(12)
    expect(roundGridUnits('-0.00999991', lot)).toBe(-10)
    expect(roundGridUnits('0.000333333333', lot)).toBe(0)
  })
  it('ties go away from zero, exact values are unchanged', () => {
    expect(roundGridUnits('0.0005', lot)).toBe(1)
    expect(roundGridUnits('-0.0005', lot)).toBe(-1)
    expect(roundGridUnits('0.0015', lot)).toBe(2)
    expect(roundGridUnits('0.00049999', lot)).toBe(0)
    expect(roundGridUnits('1.234', lot)).toBe(1234)
    expect(roundGridUnits('12', lot)).toBe(12_000)
    expect(roundGridUnits('0', lot)).toBe(0)
  })
  it('null for a non-decimal or a result beyond the safe integers', () => {
    expect(roundGridUnits('1e-3', lot)).toBeNull()
    expect(roundGridUnits('abc', lot)).toBeNull()
    expect(roundGridUnits('', lot)).toBeNull()
    expect(roundGridUnits('99999999999999999', lot)).toBeNull()
  })
  it('property: the rounding error is at most half a lot; exact grid values round to themselves', () => {
    const steps = fc.constantFrom('0.001', '0.0001', '0.01', '1', '0.05', '2.5', '10')
    fc.assert(
      fc.property(
        steps,
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 14 }),
        fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }),
        (stepText, units, scale, mantissa) => {
          const step = toDecimalStep(stepText)
          if (!step) throw new Error('bad step')
          // exact: n·step formatted is n
          expect(roundGridUnits(formatGridUnits(units, step), step)).toBe(units)
          // any decimal value v = mantissa·10^-scale: |n·step − v| ≤ step/2, in integers at scale max(scale, step.scale)
          const text = formatScaled(mantissa, scale)
          const n = roundGridUnits(text, step)
          if (n === null) return
          const common = Math.max(scale, step.scale)
          const value = mantissa * 10n ** BigInt(common - scale)
          const stepScaled = step.mantissa * 10n ** BigInt(common - step.scale)
          const error = BigInt(n) * stepScaled - value
          expect(2n * (error < 0n ? -error : error) <= stepScaled).toBe(true)
        },
      ),
      { numRuns: 1_000, seed: 20261207 },
    )
  })
})

/** `mantissa · 10^-scale` as a plain decimal string (test helper, written independently of the code under test). */
function formatScaled(mantissa: bigint, scale: number): string {
  const negative = mantissa < 0n
  const digits = (negative ? -mantissa : mantissa).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
  return negative ? `-${text}` : text
}
