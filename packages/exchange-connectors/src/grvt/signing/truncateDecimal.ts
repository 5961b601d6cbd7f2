import { parseDecimal } from '../../common/decimal.js'

/**
 * `trunc(value × 10^decimals)` exactly, for a non-negative decimal string: excess digits are dropped (toward zero),
 * as the GRVT SDKs do (`"1.1231231239"` at 9 decimals → `1123123123n`). Never goes through a float
 * (`int(float("1.013") * 1e9)` would give 1012999999).
 */
export function truncateDecimal(value: string, decimals: number, field = 'value'): bigint {
  const { mantissa, scale } = parseDecimal(value, field)
  if (scale <= decimals) return mantissa * 10n ** BigInt(decimals - scale)
  return mantissa / 10n ** BigInt(scale - decimals)
}
