import { InvalidFieldError } from '../errors/input.js'

export type FieldContext = { file: string; row: number; field: string }

const INTEGER = /^-?\d+$/
const INTEGRAL_FLOAT = /^(-?\d+)(?:\.0*)?$/
const DECIMAL = /^\d+(?:\.\d+)?$/
const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

function invalid(context: FieldContext, value: string, rule: string): never {
  throw new InvalidFieldError({ ...context, value, rule })
}

/** An integer field as bigint (chain amounts, liquidity, sqrtPriceX96). */
export function parseBigIntField(value: string | undefined, context: FieldContext): bigint {
  if (value === undefined || !INTEGER.test(value)) invalid(context, value ?? '', 'an integer')
  return BigInt(value)
}

/** A positive integer field (a sqrt price or a price must not be 0). */
export function parsePositiveBigIntField(value: string | undefined, context: FieldContext): bigint {
  const parsed = parseBigIntField(value, context)
  if (parsed <= 0n) invalid(context, value ?? '', 'must be > 0')
  return parsed
}

/** A tick written as an integer or an integral float ("199045.0"). */
export function parseTickField(value: string | undefined, context: FieldContext): number {
  const match = value === undefined ? null : INTEGRAL_FLOAT.exec(value)
  if (match === null) invalid(context, value ?? '', 'an integral tick')
  const tick = Number(match[1])
  if (tick < -887272 || tick > 887272) invalid(context, value ?? '', 'a tick in [-887272, 887272]')
  return tick
}

/** A positive decimal string, kept as a string (venue prices and sizes travel as decimal strings). */
export function parsePositiveDecimalField(value: string | undefined, context: FieldContext): string {
  if (value === undefined || !DECIMAL.test(value)) invalid(context, value ?? '', 'a non-negative decimal')
  if (!/[1-9]/.test(value)) invalid(context, value, 'must be > 0')
  return value
}

/** A non-negative decimal string (volumes may be 0). */
export function parseDecimalField(value: string | undefined, context: FieldContext): string {
  if (value === undefined || !DECIMAL.test(value)) invalid(context, value ?? '', 'a non-negative decimal')
  return value
}

/** "YYYY-MM-DD HH:MM:SS" in UTC → nanoseconds since the epoch. */
let lastDateTimeText = ''
let lastDateTimeNs = 0n

export function parseUtcDateTimeField(value: string | undefined, context: FieldContext): bigint {
  // Events of one block share a timestamp: reuse the last conversion (pure: same text, same value).
  if (value === lastDateTimeText && value !== '') return lastDateTimeNs
  const m = value === undefined ? null : DATETIME.exec(value)
  if (m === null) invalid(context, value ?? '', 'a UTC date-time YYYY-MM-DD HH:MM:SS')
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  if (Number.isNaN(ms)) invalid(context, value ?? '', 'a valid date')
  lastDateTimeText = value ?? ''
  lastDateTimeNs = BigInt(ms) * 1_000_000n
  return lastDateTimeNs
}

/** A millisecond epoch timestamp → nanoseconds. */
export function parseEpochMsField(value: string | undefined, context: FieldContext): bigint {
  if (value === undefined || !/^\d+$/.test(value)) invalid(context, value ?? '', 'epoch milliseconds')
  return BigInt(value) * 1_000_000n
}
