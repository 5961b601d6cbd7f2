import { formatScaled, numberToDecimal } from '../../common/decimal.js'

/**
 * Deribit sends prices and amounts as JSON numbers. Each becomes the exact decimal string of its shortest round-trip
 * representation (`60000.5` → `"60000.5"`, `1e-7` → `"0.0000001"`), so no float arithmetic ever touches it.
 */
export function numberToDecimalString(value: number, field: string): string {
  const { mantissa, scale } = numberToDecimal(value, field)
  return formatScaled(mantissa, scale)
}
