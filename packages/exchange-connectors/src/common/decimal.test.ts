import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { catchError } from '../../test/src/catchError.js'
import { InvalidDecimalError } from '../errors/decimal.js'
import { DecimalGrid, formatScaled, numberToDecimal, parseDecimal } from './decimal.js'

describe('decimal codec', () => {
  it('parses and formats exactly (hand-computed)', () => {
    expect(parseDecimal('2681.62')).toEqual({ mantissa: 268162n, scale: 2 })
    expect(parseDecimal('-0.001')).toEqual({ mantissa: -1n, scale: 3 })
    expect(formatScaled(268162n, 2)).toBe('2681.62')
    expect(formatScaled(5n, 3)).toBe('0.005')
    expect(formatScaled(-5n, 3)).toBe('-0.005')
    expect(formatScaled(7n, 0)).toBe('7')
  })

  it('rejects non-decimals with a typed error naming the field', () => {
    for (const bad of ['', '1e5', '1.', '.5', ' 1', 'NaN', '0x10', '1,5']) {
      expect(() => parseDecimal(bad, 'price')).toThrow(InvalidDecimalError)
    }
    const error = catchError(() => parseDecimal('abc', 'price')) as InvalidDecimalError
    expect([error.field, error.value, error.retryable, error.code]).toEqual(['price', 'abc', false, 'INVALID_DECIMAL'])
  })

  it('0.1 + 0.2 on a 0.01 grid is "0.30", never 0.30000000000000004', () => {
    const grid = new DecimalGrid('0.01')
    expect(grid.round(0.1 + 0.2, 'nearest')).toBe('0.30')
    expect(grid.round(0.1 + 0.2, 'down')).toBe('0.30')
    // 0.30000000000000004 is above 0.30 so rounding up moves one tick
    expect(grid.round(0.1 + 0.2, 'up')).toBe('0.31')
  })

  it('rounds explicitly on non-power-of-ten grids (hand-computed)', () => {
    const grid = new DecimalGrid('0.05')
    expect(grid.round('2681.62', 'down')).toBe('2681.60')
    expect(grid.round('2681.62', 'up')).toBe('2681.65')
    expect(grid.round('2681.625', 'nearest')).toBe('2681.65') // tie away from zero
    expect(grid.round('2681.6249', 'nearest')).toBe('2681.60')
    expect(grid.toTicks('2681.65')).toBe(53633n)
    expect(() => grid.toTicks('2681.62')).toThrow(InvalidDecimalError)
    expect(new DecimalGrid('0.0100').scale).toBe(2)
    expect(new DecimalGrid('1').round(1e21, 'down')).toBe('1000000000000000000000')
    expect(numberToDecimal(1e-7)).toEqual({ mantissa: 1n, scale: 7 })
    expect(new DecimalGrid('0.001').round(-1.0005, 'down')).toBe('-1.001')
  })

  it('property: rounding lands on the grid, within one increment, on the requested side', () => {
    const increments = ['0.01', '0.001', '0.05', '0.1', '1', '0.00000001', '2.5']
    fc.assert(
      fc.property(
        fc.constantFrom(...increments),
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 10 }),
        (increment, mantissa, scale) => {
          const grid = new DecimalGrid(increment)
          const value = formatScaled(mantissa, scale)
          const down = grid.roundToTicks(value, 'down')
          const up = grid.roundToTicks(value, 'up')
          const near = grid.roundToTicks(value, 'nearest')
          // compare value and tick multiples exactly as rationals: x = mantissa / 10^scale, tick = inc / 10^g
          const lhs = (t: bigint) => t * grid.incrementScaled * 10n ** BigInt(scale)
          const rhs = mantissa * 10n ** BigInt(grid.scale)
          const exact = rhs % (grid.incrementScaled * 10n ** BigInt(scale)) === 0n
          if (!(lhs(down) <= rhs && lhs(up) >= rhs)) return false
          if (exact ? up !== down : up !== down + 1n) return false
          if (near !== down && near !== up) return false
          // round-trip: format(ticks) parses back to the same ticks
          return grid.toTicks(grid.format(near)) === near
        },
      ),
    )
  })

  it('property: numbers are converted through their shortest round-trip string', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }), (x) => {
        const d = numberToDecimal(x)
        return Number(formatScaled(d.mantissa, d.scale)) === x || (x === 0 && d.mantissa === 0n)
      }),
    )
  })
})
