import { InvalidSampleError, UnsortedTimestampsError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'

// Sample-level checks shared by the calibration functions. Each throws a typed error naming the field, value and index.

/** `tsNs` must be a non-negative bigint and not earlier than `previousTsNs` (pass `undefined` for the first sample). */
export function assertSampleTsNs(field: string, index: number, tsNs: bigint, previousTsNs: bigint | undefined): void {
  if (typeof tsNs !== 'bigint' || tsNs < 0n)
    throw new InvalidSampleError({ field, index, value: tsNs, rule: 'a bigint >= 0n (nanoseconds)' })
  if (previousTsNs !== undefined && tsNs < previousTsNs)
    throw new UnsortedTimestampsError({ field, index, tsNs, previousTsNs })
}

/** A price must be a finite number > 0. */
export function assertSamplePrice(field: string, index: number, price: number): void {
  if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0)
    throw new InvalidSampleError({ field, index, value: price, rule: 'a finite number > 0' })
}

/** A finite number of any sign (depths may be negative). */
export function assertSampleFinite(field: string, index: number, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidSampleError({ field, index, value, rule: 'a finite number' })
}

export function assertAggressorSide(field: string, index: number, side: unknown): void {
  if (side !== 'buy' && side !== 'sell')
    throw new InvalidSampleError({ field, index, value: side, rule: "'buy' or 'sell'" })
}

/** A duration in nanoseconds: a bigint > 0n. */
export function assertPositiveNs(field: string, value: bigint): void {
  if (typeof value !== 'bigint' || value <= 0n) throw new InvalidParameterError({ field, value, rule: 'a bigint > 0n' })
}

/** A duration in nanoseconds: a bigint >= 0n. */
export function assertNonNegativeNs(field: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < 0n) throw new InvalidParameterError({ field, value, rule: 'a bigint >= 0n' })
}

export function assertVolatilityReturns(field: string, value: unknown): void {
  if (value !== 'price' && value !== 'log') throw new InvalidParameterError({ field, value, rule: "'price' or 'log'" })
}

/** Converts a nanosecond count to seconds as a float (exact for spans below 2^53 ns ≈ 104 days). */
export function nsToSec(ns: bigint): number {
  return Number(ns) / 1e9
}

/** Throws InvalidParameterError unless `value` is an array (kept as a void check so the caller's element type is not widened). */
export function assertArray(field: string, value: unknown, rule: string): void {
  if (!Array.isArray(value)) throw new InvalidParameterError({ field, value, rule })
}
