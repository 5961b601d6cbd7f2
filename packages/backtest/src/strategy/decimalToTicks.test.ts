import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decimalToTicks } from './decimalToTicks.js'

/** Independent reference: value / step rounded half up, in exact rational bigint arithmetic. */
function reference(value: string, step: string): number {
  const scaleOf = (s: string) => (s.includes('.') ? s.length - s.indexOf('.') - 1 : 0)
  const scale = Math.max(scaleOf(value), scaleOf(step))
  const toUnits = (s: string) => BigInt(s.replace('.', '')) * 10n ** BigInt(scale - scaleOf(s))
  const v = toUnits(value)
  const st = toUnits(step)
  // round(v / st) half up = floor((2v + st) / 2st).
  return Number((2n * v + st) / (2n * st))
}

describe('decimalToTicks', () => {
  it('hand examples: 2268.56 / 0.01 = 226856; 0.0005 / 0.001 rounds half up to 1; 12.3449 / 0.001 = 12345', () => {
    expect(decimalToTicks('2268.56', '0.01')).toBe(226856)
    expect(decimalToTicks('0.0005', '0.001')).toBe(1)
    expect(decimalToTicks('0.0004', '0.001')).toBe(0)
    expect(decimalToTicks('12.3449', '0.001')).toBe(12345)
    expect(decimalToTicks('7', '0.5')).toBe(14)
  })

  it('property: equals value / step rounded to the nearest unit when the value has at most one digit past the step', () => {
    // With one extra digit the contract of decimalToTicks (round on the first dropped digit) is exact rounding.
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 18n }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom('0.01', '0.001', '0.1', '1', '0.05', '0.25', '5', '0.000001'),
        (digits, valueScale, step) => {
          const stepScale = step.includes('.') ? step.length - step.indexOf('.') - 1 : 0
          const scale = Math.min(valueScale, stepScale + 1)
          const text = digits.toString().padStart(scale + 1, '0')
          const value = scale === 0 ? text : `${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`
          expect(decimalToTicks(value, step)).toBe(reference(value, step))
        },
      ),
      { numRuns: 3000, seed: 31 },
    )
  })
})
