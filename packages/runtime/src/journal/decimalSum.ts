const SCALE = 18
const DECIMAL = /^(-?)([0-9]+)(?:\.([0-9]+))?$/

/** Exact sum of decimal strings (up to 18 decimals), as a decimal string without trailing zeros. No floats. */
export function decimalSum(values: readonly string[]): string {
  let total = 0n
  for (const value of values) total += toScaled(value)
  return fromScaled(total)
}

/** `a − b`, exact. */
export function decimalSub(a: string, b: string): string {
  return fromScaled(toScaled(a) - toScaled(b))
}

/** `a / b × 100` rounded to `decimals` places (half away from zero); null when b is zero. */
export function decimalPercent(a: string, b: string, decimals = 4): string | null {
  const divisor = toScaled(b)
  if (divisor === 0n) return null
  const unit = 10n ** BigInt(decimals)
  const numerator = toScaled(a) * 100n * unit * 2n
  const q = numerator / divisor
  const rounded = (q + (q >= 0n ? 1n : -1n)) / 2n
  return fromScaled(rounded * 10n ** BigInt(SCALE - decimals))
}

function toScaled(value: string): bigint {
  const match = DECIMAL.exec(value.trim())
  if (!match) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`)
  const fraction = (match[3] ?? '').slice(0, SCALE).padEnd(SCALE, '0')
  const magnitude = BigInt(match[2] ?? '0') * 10n ** BigInt(SCALE) + BigInt(fraction)
  return match[1] === '-' ? -magnitude : magnitude
}

function fromScaled(value: bigint): string {
  const negative = value < 0n
  const magnitude = negative ? -value : value
  const unit = 10n ** BigInt(SCALE)
  const whole = magnitude / unit
  const fraction = (magnitude % unit).toString().padStart(SCALE, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}
