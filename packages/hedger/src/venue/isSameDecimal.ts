import { parseDecimalString } from './decimalTicks.js'

/** `a` and `b` are plain decimals of the same value (`"60000.5"` = `"60000.50"`); false when either is not one. */
export function isSameDecimal(a: string, b: string): boolean {
  const x = parseDecimalString(a)
  const y = parseDecimalString(b)
  return x !== null && y !== null && x.mantissa * 10n ** BigInt(y.scale) === y.mantissa * 10n ** BigInt(x.scale)
}
