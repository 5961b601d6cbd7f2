import { ModelsError } from './base.js'

export type InvalidSampleErrorType = InvalidSampleError & { name: 'InvalidSampleError' }

/** One sample of a calibration input series is out of its domain (NaN or non-positive price, bad side, …). */
export class InvalidSampleError extends ModelsError {
  override name = 'InvalidSampleError' as const
  /** Path of the offending field, e.g. `samples[12].price`. */
  readonly field: string
  /** Index of the offending sample in its input array (or in the update sequence of a streaming estimator). */
  readonly index: number
  /** The offending value, as received. */
  readonly value: unknown
  /** The rule it broke, e.g. `> 0`. */
  readonly rule: string

  constructor({ field, index, value, rule }: { field: string; index: number; value: unknown; rule: string }) {
    super(`Invalid ${field}: ${formatValue(value)} (must be ${rule}).`, {
      code: 'INVALID_SAMPLE',
      metaMessages: [`Sample index: ${index}`, `Next: clean or drop sample ${index} before calibrating.`],
    })
    this.field = field
    this.index = index
    this.value = value
    this.rule = rule
  }
}

export type UnsortedTimestampsErrorType = UnsortedTimestampsError & { name: 'UnsortedTimestampsError' }

/** A timestamp is earlier than the one before it; calibration inputs must be in non-decreasing time order. */
export class UnsortedTimestampsError extends ModelsError {
  override name = 'UnsortedTimestampsError' as const
  /** Path of the offending field, e.g. `samples[7].tsNs`. */
  readonly field: string
  readonly index: number
  readonly tsNs: bigint
  readonly previousTsNs: bigint

  constructor({
    field,
    index,
    tsNs,
    previousTsNs,
  }: { field: string; index: number; tsNs: bigint; previousTsNs: bigint }) {
    super(`Invalid ${field}: ${tsNs}n is earlier than the previous timestamp ${previousTsNs}n.`, {
      code: 'UNSORTED_TIMESTAMPS',
      metaMessages: [`Sample index: ${index}`, 'Next: sort the samples by tsNs (stable) before calibrating.'],
    })
    this.field = field
    this.index = index
    this.tsNs = tsNs
    this.previousTsNs = previousTsNs
  }
}

export type InsufficientDataErrorType = InsufficientDataError & { name: 'InsufficientDataError' }

/** Too little data for an estimate: empty input, fewer than two fit points, zero elapsed time, … */
export class InsufficientDataError extends ModelsError {
  override name = 'InsufficientDataError' as const
  /** What was counted, e.g. `samples` or `fit points with count >= minCountPerPoint`. */
  readonly field: string
  readonly got: number
  readonly needed: number

  constructor({ field, got, needed, next }: { field: string; got: number; needed: number; next: string }) {
    super(`Not enough ${field}: got ${got}, need at least ${needed}.`, {
      code: 'INSUFFICIENT_DATA',
      metaMessages: [`Next: ${next}`],
    })
    this.field = field
    this.got = got
    this.needed = needed
  }
}

export type DegenerateFitErrorType = DegenerateFitError & { name: 'DegenerateFitError' }

/** A least-squares fit has no unique solution (all x values equal). */
export class DegenerateFitError extends ModelsError {
  override name = 'DegenerateFitError' as const
  readonly field: string
  readonly value: number

  constructor({ field, value }: { field: string; value: number }) {
    super(`Cannot fit a line: every ${field} equals ${value}.`, {
      code: 'DEGENERATE_FIT',
      metaMessages: ['Next: pass at least two distinct x values (e.g. a depth grid with two or more depths).'],
    })
    this.field = field
    this.value = value
  }
}

export type EstimatorNotReadyErrorType = EstimatorNotReadyError & { name: 'EstimatorNotReadyError' }

/** A streaming estimator's value was read before its warm-up finished. */
export class EstimatorNotReadyError extends ModelsError {
  override name = 'EstimatorNotReadyError' as const
  /** Which estimator, e.g. `ewmaVolatility`. */
  readonly estimator: string
  /** Why it is not ready, e.g. `warmUp` or `tooFewDepthPoints`. */
  readonly reason: string

  constructor({ estimator, reason, progress }: { estimator: string; reason: string; progress: string }) {
    super(`The ${estimator} estimator is not ready (${reason}): ${progress}.`, {
      code: 'ESTIMATOR_NOT_READY',
      metaMessages: ['Next: feed more data, or branch on read().ready instead of calling value().'],
    })
    this.estimator = estimator
    this.reason = reason
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value)
  if (typeof value === 'bigint') return `${value}n`
  if (value === undefined) return 'undefined'
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
