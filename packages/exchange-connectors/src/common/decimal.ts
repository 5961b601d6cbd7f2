import { InvalidDecimalError } from '../errors/decimal.js'

/** Rounding direction for values put on a venue grid. `down`/`up` are toward −∞/+∞; `nearest` breaks ties away from zero. */
export type RoundingDirection = 'down' | 'up' | 'nearest'

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/
const EXPONENT_RE = /^(-)?(\d+)(?:\.(\d+))?e([+-]?\d+)$/i

/** A decimal string parsed to an exact scaled integer: value = `mantissa` · 10^−`scale`. */
export type ScaledDecimal = { readonly mantissa: bigint; readonly scale: number }

/** Parses a plain decimal string (`"2681.62"`, `"-0.001"`, `"5"`) to an exact scaled integer. No floats involved. */
export function parseDecimal(value: string, field = 'value'): ScaledDecimal {
  const match = DECIMAL_RE.exec(value)
  if (!match) throw new InvalidDecimalError({ field, value, rule: 'a plain decimal like "123.45"' })
  const fraction = match[3] ?? ''
  const digits = BigInt((match[2] ?? '0') + fraction)
  return { mantissa: match[1] ? -digits : digits, scale: fraction.length }
}

/** Re-scales an exact decimal to `scale` fractional digits; throws when that would drop a non-zero digit. */
export function toScaled(decimal: ScaledDecimal, scale: number, field = 'value'): bigint {
  if (decimal.scale <= scale) return decimal.mantissa * 10n ** BigInt(scale - decimal.scale)
  const divisor = 10n ** BigInt(decimal.scale - scale)
  if (decimal.mantissa % divisor !== 0n)
    throw new InvalidDecimalError({
      field,
      value: formatScaled(decimal.mantissa, decimal.scale),
      rule: `representable with ${scale} decimals`,
    })
  return decimal.mantissa / divisor
}

/** Formats a scaled integer as a plain decimal string with exactly `scale` fractional digits (`268162n, 2` → `"2681.62"`). */
export function formatScaled(mantissa: bigint, scale: number): string {
  const negative = mantissa < 0n
  const digits = (negative ? -mantissa : mantissa).toString().padStart(scale + 1, '0')
  const body = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
  return negative ? `-${body}` : body
}

/**
 * Converts a JS number (model output) to an exact decimal using its shortest round-trip representation
 * (`0.1 + 0.2` → `"0.30000000000000004"` exactly as JS prints it), so the only rounding is the explicit grid rounding after.
 */
export function numberToDecimal(value: number, field = 'value'): ScaledDecimal {
  if (!Number.isFinite(value)) throw new InvalidDecimalError({ field, value: String(value), rule: 'a finite number' })
  const text = String(value)
  const exp = EXPONENT_RE.exec(text)
  if (!exp) return parseDecimal(text, field)
  const fraction = exp[3] ?? ''
  const digits = BigInt((exp[2] ?? '0') + fraction)
  const mantissa = exp[1] ? -digits : digits
  const scale = fraction.length - Number(exp[4])
  return scale >= 0 ? { mantissa, scale } : { mantissa: mantissa * 10n ** BigInt(-scale), scale: 0 }
}

function divRound(numerator: bigint, denominator: bigint, direction: RoundingDirection): bigint {
  // denominator > 0
  const q = numerator / denominator
  const r = numerator % denominator
  if (r === 0n) return q
  if (direction === 'down') return numerator < 0n ? q - 1n : q
  if (direction === 'up') return numerator < 0n ? q : q + 1n
  const twice = (r < 0n ? -r : r) * 2n
  if (twice >= denominator) return numerator < 0n ? q - 1n : q + 1n
  return q
}

/**
 * A venue grid (tick size or step size) such as `"0.01"` or `"0.05"`. Values are held as integer multiples of the
 * increment (`ticks`); strings sent to the venue come from `format`, with exactly the increment's decimals.
 */
export class DecimalGrid {
  readonly increment: string
  /** Number of fractional digits of the increment. */
  readonly scale: number
  /** The increment as an integer at `scale` (`"0.05"` → 5n). */
  readonly incrementScaled: bigint

  constructor(increment: string, field = 'increment') {
    const parsed = parseDecimal(increment, field)
    if (parsed.mantissa <= 0n) throw new InvalidDecimalError({ field, value: increment, rule: '> 0' })
    // Strip trailing zeros so "0.0100" has scale 2.
    let { mantissa, scale } = parsed
    while (scale > 0 && mantissa % 10n === 0n) {
      mantissa /= 10n
      scale -= 1
    }
    this.increment = increment
    this.scale = scale
    this.incrementScaled = mantissa
  }

  /** Exact number of increments in `value`; throws when `value` is off the grid. */
  toTicks(value: string, field = 'value'): bigint {
    const scaled = toScaled(parseDecimal(value, field), this.scale, field)
    if (scaled % this.incrementScaled !== 0n)
      throw new InvalidDecimalError({ field, value, rule: `a multiple of ${this.increment}` })
    return scaled / this.incrementScaled
  }

  /** Rounds a decimal string or a number to a whole number of increments in the given direction. */
  roundToTicks(value: string | number | ScaledDecimal, direction: RoundingDirection, field = 'value'): bigint {
    const decimal =
      typeof value === 'string'
        ? parseDecimal(value, field)
        : typeof value === 'number'
          ? numberToDecimal(value, field)
          : value
    // value / increment = mantissa·10^-s / (inc·10^-g) = mantissa·10^g / (inc·10^s)
    const numerator = decimal.mantissa * 10n ** BigInt(this.scale)
    const denominator = this.incrementScaled * 10n ** BigInt(decimal.scale)
    return divRound(numerator, denominator, direction)
  }

  /** Formats a whole number of increments as the decimal string the venue expects (`268162n` → `"2681.62"`). */
  format(ticks: bigint): string {
    return formatScaled(ticks * this.incrementScaled, this.scale)
  }

  /** `format(roundToTicks(value, direction))`: the one named conversion from model output to wire string. */
  round(value: string | number, direction: RoundingDirection, field = 'value'): string {
    return this.format(this.roundToTicks(value, direction, field))
  }
}
