import { MalformedFrameError } from '../../errors/transport.js'

/**
 * Field readers for GRVT wire objects. Each returns the value in its checked form or throws `MalformedFrameError`
 * naming the field; no `BigInt`/`Number` conversion ever sees an unchecked string.
 */
const UNSIGNED_DECIMAL_RE = /^\d{1,40}(\.\d{1,40})?$/
const SIGNED_DECIMAL_RE = /^-?\d{1,40}(\.\d{1,40})?$/
const NANOS_RE = /^\d{1,20}$/

export function failGrvtField(field: string, reason: string): never {
  throw new MalformedFrameError({ venue: 'grvt', field, reason })
}

/** A plain object (not null, not an array). */
export function readGrvtObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) failGrvtField(field, 'is not an object')
  return value as Record<string, unknown>
}

export function readGrvtString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    failGrvtField(field, 'is not a non-empty string')
  return value
}

export function readGrvtBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') failGrvtField(field, 'is not a boolean')
  return value
}

/** An optional boolean: absent → `fallback`, otherwise it must be a boolean. */
export function readGrvtOptionalBoolean(value: unknown, field: string, fallback: boolean): boolean {
  return value === undefined ? fallback : readGrvtBoolean(value, field)
}

/** A finite non-negative decimal string (`"0.010"`, `"65000"`); no sign, exponent, `NaN` or `Infinity`. */
export function readGrvtDecimal(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UNSIGNED_DECIMAL_RE.test(value))
    failGrvtField(field, 'is not a non-negative decimal string')
  return value
}

/** A finite decimal string that may be negative (position sizes, PnL, fees/rebates). */
export function readGrvtSignedDecimal(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SIGNED_DECIMAL_RE.test(value)) failGrvtField(field, 'is not a decimal string')
  return value
}

/** A unix-nanosecond time (a uint64 decimal string) → unix milliseconds (floored). */
export function readGrvtNanosToMs(value: unknown, field: string): number {
  if (typeof value !== 'string' || !NANOS_RE.test(value))
    failGrvtField(field, 'is not a unix-nanosecond integer string')
  const ns = BigInt(value)
  if (ns >= 2n ** 64n) failGrvtField(field, 'is beyond uint64')
  return Number(ns / 1_000_000n)
}

/** One of `allowed`. */
export function readGrvtEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    failGrvtField(field, `is not one of ${allowed.join(', ')}`)
  return value as T
}
