import type { DecimalStep } from './decimalTicks.js'
import { parseDecimalString } from './decimalTicks.js'
import { divideRoundHalfAway } from './divideRoundHalfAway.js'

/**
 * Number of grid units nearest to a decimal string, a tie away from zero (`"0.0005"` in lots of 0.001 → 1,
 * `"0.299819363116"` → 300). Values already on the grid are returned exactly (the same result as `parseGridUnits`);
 * any other value is at most half a unit away from the result. For venue sizes that are not on the hedger's grid by
 * construction (inverse instruments report base sizes as USD / price); exact conversions stay in `parseGridUnits`.
 * @returns the units, or `null` when the text is not a plain decimal or the result is not a safe integer.
 */
export function roundGridUnits(text: string, step: DecimalStep): number | null {
  const parsed = parseDecimalString(text)
  if (!parsed) return null
  // value / step = (m · 10^-s) / (k · 10^-t) = m · 10^t / (k · 10^s)
  const units = divideRoundHalfAway(
    parsed.mantissa * 10n ** BigInt(step.scale),
    step.mantissa * 10n ** BigInt(parsed.scale),
  )
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < -BigInt(Number.MAX_SAFE_INTEGER)) return null
  return Number(units)
}
