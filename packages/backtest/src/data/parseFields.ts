import { InvalidFieldError } from '../errors/input.js'

export type FieldContext = { file: string; row: number; field: string }

const INTEGER = /^-?\d+$/
const INTEGRAL_FLOAT = /^(-?\d+)(?:\.0*)?$/
const DECIMAL = /^\d+(?:\.\d+)?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

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

/** A non-negative integer that fits a double exactly (block numbers, log indices). */
export function parseSafeIntegerField(value: string | undefined, context: FieldContext): number {
  if (value === undefined || !NON_NEGATIVE_INTEGER.test(value)) invalid(context, value ?? '', 'a non-negative integer')
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed)) invalid(context, value, 'an integer ≤ 2^53 − 1')
  return parsed
}

const NON_NEGATIVE_INTEGER = /^\d+$/

// Events of one day share the date part: the day's epoch is computed once (pure: same text, same value).
let lastDateText = ''
let lastDayMs = 0
// Events of one block share the whole timestamp: reuse the last conversion.
let lastDateTimeText = ''
let lastDateTimeNs = 0n

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const hi = text.charCodeAt(at) - 48
  const lo = text.charCodeAt(at + 1) - 48
  return hi >= 0 && hi <= 9 && lo >= 0 && lo <= 9 ? hi * 10 + lo : -1
}

/** "YYYY-MM-DD HH:MM:SS" in UTC → nanoseconds since the epoch. */
export function parseUtcDateTimeField(value: string | undefined, context: FieldContext): bigint {
  if (value === lastDateTimeText && value !== '') return lastDateTimeNs
  if (
    value === undefined ||
    value.length !== 19 ||
    value.charCodeAt(10) !== 32 ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58
  )
    invalid(context, value ?? '', 'a UTC date-time YYYY-MM-DD HH:MM:SS')
  const date = value.slice(0, 10)
  if (date !== lastDateText) {
    const m = DATE.exec(date)
    if (m === null) invalid(context, value, 'a UTC date-time YYYY-MM-DD HH:MM:SS')
    const year = Number(m[1])
    const month = Number(m[2])
    const day = Number(m[3])
    const ms = Date.UTC(year, month - 1, day)
    // Date.UTC rolls 2024-02-30 over to March: a real calendar date round-trips
    const check = new Date(ms)
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
      invalid(context, value, 'a valid date')
    lastDateText = date
    lastDayMs = ms
  }
  const hours = twoDigits(value, 11)
  const minutes = twoDigits(value, 14)
  const seconds = twoDigits(value, 17)
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59)
    invalid(context, value, 'a valid time of day (00:00:00 to 23:59:59)')
  const ms = lastDayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000
  lastDateTimeText = value
  lastDateTimeNs = BigInt(ms) * 1_000_000n
  return lastDateTimeNs
}

/** A millisecond epoch timestamp → nanoseconds. */
export function parseEpochMsField(value: string | undefined, context: FieldContext): bigint {
  if (value === undefined || !/^\d+$/.test(value)) invalid(context, value ?? '', 'epoch milliseconds')
  return BigInt(value) * 1_000_000n
}
