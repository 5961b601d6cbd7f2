import { MalformedFrameError } from '../../errors/transport.js'

// Field readers for Deribit payloads: each returns the field checked (type, finiteness, range, enum) or throws
// MalformedFrameError naming the field. Values are never copied into the message (frames can be huge or hostile).

const VENUE = 'deribit'

function malformed(field: string, reason: string): MalformedFrameError {
  return new MalformedFrameError({ venue: VENUE, field, reason })
}

/** A JSON object (not null, not an array). */
export function readDeribitObject(data: unknown, field: string): Record<string, unknown> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw malformed(field, 'is not an object')
  return data as Record<string, unknown>
}

/** A non-empty string. */
export function readDeribitString(o: Record<string, unknown>, key: string): string {
  const v = o[key]
  if (typeof v !== 'string' || v.length === 0) throw malformed(key, 'is not a non-empty string')
  return v
}

/** An optional string: absent → undefined; present and not a string → malformed. */
export function readDeribitOptionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw malformed(key, 'is not a string')
  return v
}

/** An optional boolean: absent → undefined; present and not a boolean → malformed. */
export function readDeribitOptionalBoolean(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key]
  if (v === undefined) return undefined
  if (typeof v !== 'boolean') throw malformed(key, 'is not a boolean')
  return v
}

/**
 * A finite JSON number in `range`: `positive` (> 0), `nonNegative` (≥ 0) or `any`. `1e999` parses to Infinity and is
 * refused here, as is every non-number.
 */
export function readDeribitNumber(
  o: Record<string, unknown>,
  key: string,
  range: 'positive' | 'nonNegative' | 'any',
): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isFinite(v)) throw malformed(key, 'is not a finite number')
  if (range === 'positive' && !(v > 0)) throw malformed(key, 'is not positive')
  if (range === 'nonNegative' && !(v >= 0)) throw malformed(key, 'is negative')
  return v
}

/** A timestamp or counter: a safe integer ≥ 0. */
export function readDeribitSafeInteger(o: Record<string, unknown>, key: string): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw malformed(key, 'is not a safe integer ≥ 0')
  return v
}

/** One of `allowed`, spelled exactly as Deribit does (lower case: `"BUY"` is not `"buy"`). */
export function readDeribitEnum<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[]): T {
  const v = o[key]
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw malformed(key, `is not one of ${allowed.join('|')}`)
  return v as T
}
