import { InvalidDecimalError } from '../errors/matching.js'

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

/**
 * Parses a decimal string into an integer count of `10^-decimals` units, exactly.
 * Extra fractional digits are accepted only when they are zeros ("0.100" at 2 decimals is 10); anything else throws.
 */
export function parseScaled(value: string, decimals: number, field: string): bigint {
  const match = DECIMAL.exec(value)
  if (!match) throw new InvalidDecimalError({ field, value, rule: 'a plain decimal such as "2681.62"' })
  const [, sign = '', whole = '0', fraction = ''] = match
  const kept = fraction.slice(0, decimals)
  const dropped = fraction.slice(decimals)
  if (/[1-9]/.test(dropped)) {
    throw new InvalidDecimalError({ field, value, rule: `at most ${decimals} fractional digits` })
  }
  const units = BigInt(whole + kept.padEnd(decimals, '0'))
  return sign === '-' ? -units : units
}

/** Number of fractional digits written in a decimal string ("0.010" → 3). */
export function countDecimals(value: string): number {
  const match = DECIMAL.exec(value)
  if (!match) throw new InvalidDecimalError({ field: 'decimal', value, rule: 'a plain decimal such as "0.01"' })
  return (match[3] ?? '').length
}
