/**
 * Exact conversions between venue decimal strings and integer grid units (ticks of the tick size, lots of the step
 * size). Hand-written (30 lines of bigint arithmetic) because `DecimalGrid` of @alp/exchange-connectors was not exported
 * when this package was written; swap in `DecimalGrid.toTicks`/`format` once it is.
 */

/** A grid increment as an integer mantissa at a decimal scale: `"0.05"` → `{ mantissa: 5n, scale: 2 }`. */
export type DecimalStep = { readonly text: string; readonly mantissa: bigint; readonly scale: number }

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/

/** Parses a decimal string to `{ mantissa, scale }`, or `null` when it is not a plain decimal. */
export function parseDecimalString(text: string): { mantissa: bigint; scale: number } | null {
  const match = DECIMAL.exec(text)
  if (!match) return null
  const fraction = match[3] ?? ''
  const mantissa = BigInt(`${match[2]}${fraction}`)
  return { mantissa: match[1] ? -mantissa : mantissa, scale: fraction.length }
}

/** Builds a {@link DecimalStep} from a positive decimal string, or `null` when it is not one. */
export function toDecimalStep(text: string): DecimalStep | null {
  const parsed = parseDecimalString(text)
  if (!parsed || parsed.mantissa <= 0n) return null
  let { mantissa, scale } = parsed
  while (scale > 0 && mantissa % 10n === 0n) {
    mantissa /= 10n
    scale -= 1
  }
  return { text, mantissa, scale }
}

/** `units × step` as an exact decimal string with the step's decimals (`300012` ticks of `0.01` → `"3000.12"`). */
export function formatGridUnits(units: number, step: DecimalStep): string {
  const value = BigInt(units) * step.mantissa
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(step.scale + 1, '0')
  const cut = digits.length - step.scale
  const text = step.scale === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`
  return negative ? `-${text}` : text
}

/** Exact number of grid units in a decimal string, or `null` when the value is off the grid or not a decimal. */
export function parseGridUnits(text: string, step: DecimalStep): number | null {
  const parsed = parseDecimalString(text)
  if (!parsed) return null
  let { mantissa, scale } = parsed
  if (scale < step.scale) {
    mantissa *= 10n ** BigInt(step.scale - scale)
    scale = step.scale
  }
  const divisor = step.mantissa * 10n ** BigInt(scale - step.scale)
  if (mantissa % divisor !== 0n) return null
  const units = mantissa / divisor
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < -BigInt(Number.MAX_SAFE_INTEGER)) return null
  return Number(units)
}
