/**
 * Hot-path parser for venue decimal strings into a JS integer at a fixed scale: `("2681.62", 2)` → `268162`.
 * Digits beyond `scale` must be zeros (Binance pads sizes, e.g. `"0.000"`). Returns `NaN` for anything that is not a
 * non-negative plain decimal, a non-zero digit beyond `scale`, or a result above 2^53 (the caller raises the typed error).
 * Hand-written because it runs once per book level (millions of times): no regex, no allocation, no float arithmetic.
 */
export function parseScaledInt(value: string, scale: number): number {
  let result = 0
  let fractionDigits = -1
  const length = value.length
  if (length === 0) return Number.NaN
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i)
    if (c === 46 /* . */) {
      if (fractionDigits !== -1 || i === 0 || i === length - 1) return Number.NaN
      fractionDigits = 0
      continue
    }
    const digit = c - 48
    if (digit < 0 || digit > 9) return Number.NaN
    if (fractionDigits !== -1) {
      if (fractionDigits >= scale) {
        if (digit !== 0) return Number.NaN
        continue
      }
      fractionDigits++
    }
    result = result * 10 + digit
  }
  const pad = scale - (fractionDigits === -1 ? 0 : fractionDigits)
  for (let i = 0; i < pad; i++) result *= 10
  return result <= Number.MAX_SAFE_INTEGER ? result : Number.NaN
}
