import { InvalidPriceError } from '../errors/token.js'

/** An exact non-negative rational number `numerator / denominator` (denominator > 0). */
export type Fraction = { numerator: bigint; denominator: bigint }

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^\.(\d+)(?:[eE]([+-]?\d+))?$/

/**
 * Parses a positive decimal ("3000.25", "1e-7", or a finite positive number via its shortest round-trip string)
 * into an exact fraction.
 * @throws InvalidPriceError for NaN, infinities, zero, negatives and malformed strings.
 */
export function parsePositiveDecimal(value: string | number, field: string): Fraction {
  if (typeof value === 'number' && (!Number.isFinite(value) || value <= 0))
    throw new InvalidPriceError({ field, value })
  const text = typeof value === 'number' ? String(value) : value.trim()
  const match = DECIMAL.exec(text)
  if (!match) throw new InvalidPriceError({ field, value })
  const intPart = match[1] ?? '0'
  const fracPart = match[2] ?? match[4] ?? ''
  const exponent = Number(match[3] ?? match[5] ?? '0')
  let numerator = BigInt(intPart + fracPart)
  let denominator = 10n ** BigInt(fracPart.length)
  if (exponent > 0) numerator *= 10n ** BigInt(exponent)
  if (exponent < 0) denominator *= 10n ** BigInt(-exponent)
  if (numerator === 0n) throw new InvalidPriceError({ field, value })
  return { numerator, denominator }
}

/** The double nearest to numerator/denominator (to within one ulp), for handing exact values to float models. */
export function fractionToNumber(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0
  // Scale so the integer quotient carries ~64 significant bits, convert, then undo the power-of-two scale exactly.
  const shift = 64 - (bitLength(numerator) - bitLength(denominator))
  const quotient = shift >= 0 ? (numerator << BigInt(shift)) / denominator : numerator / (denominator << BigInt(-shift))
  return Number(quotient) * 2 ** -shift
}

/** Bit length of a positive bigint (toString(2).length), from the double's exponent corrected exactly. */
function bitLength(n: bigint): number {
  const f = Number(n)
  if (!Number.isFinite(f)) return n.toString(2).length
  let bits = Math.floor(Math.log2(f)) + 1
  // Number(n) rounds: the estimate can be one bit high (n just below a power of two rounds up to it).
  if (bits > 0 && n < 1n << BigInt(bits - 1)) bits--
  else if (n >= 1n << BigInt(bits)) bits++
  return bits
}
