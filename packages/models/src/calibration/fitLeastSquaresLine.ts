import { DegenerateFitError, InsufficientDataError, InvalidSampleError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { assertArray } from './validateCalibrationInput.js'

export type FitLeastSquaresLineParameters = {
  /** Abscissae (any unit; the slope is in y-units per x-unit). At least two distinct finite values. */
  readonly x: readonly number[]
  /** Ordinates, same length as `x`, finite. */
  readonly y: readonly number[]
}

export type FitLeastSquaresLineReturnType = {
  /** Least-squares slope, y-units per x-unit. */
  readonly slope: number
  /** Least-squares intercept (value at x = 0), y-units. */
  readonly intercept: number
  /**
   * Coefficient of determination 1 − SS_res/SS_tot, in [0, 1]. When every y is equal (SS_tot = 0) the line fits exactly and
   * R² is 1.
   */
  readonly rSquared: number
  /** Number of (x, y) points used. */
  readonly pointCount: number
}

export type FitLeastSquaresLineErrorType =
  | InvalidParameterError
  | InvalidSampleError
  | InsufficientDataError
  | DegenerateFitError

/**
 * Ordinary least squares of y on x (y ≈ intercept + slope·x), computed around the means (two-pass) for accuracy, with
 * the deviations scaled to at most 1 before squaring, so any finite x and y fit (x ≈ 1e155 as well as x ≈ 1e-170).
 *
 * @throws InvalidParameterError when `x` and `y` differ in length; InvalidSampleError for a non-finite point (with its index);
 *   InsufficientDataError for fewer than 2 points; DegenerateFitError when every x is equal.
 */
export function fitLeastSquaresLine({ x, y }: FitLeastSquaresLineParameters): FitLeastSquaresLineReturnType {
  assertArray('x', x, 'an array of numbers')
  assertArray('y', y, 'an array of numbers')
  if (x.length !== y.length)
    throw new InvalidParameterError({ field: 'y.length', value: y.length, rule: `equal to x.length (${x.length})` })
  const n = x.length
  if (n < 2)
    throw new InsufficientDataError({ field: 'points', got: n, needed: 2, next: 'pass at least two (x, y) points.' })
  // Running means (no sum that could overflow for x near 1e308).
  let meanX = 0
  let meanY = 0
  for (let i = 0; i < n; i++) {
    const xi = x[i]!
    const yi = y[i]!
    if (typeof xi !== 'number' || !Number.isFinite(xi))
      throw new InvalidSampleError({ field: `x[${i}]`, index: i, value: xi, rule: 'a finite number' })
    if (typeof yi !== 'number' || !Number.isFinite(yi))
      throw new InvalidSampleError({ field: `y[${i}]`, index: i, value: yi, rule: 'a finite number' })
    meanX += (xi - meanX) / (i + 1)
    meanY += (yi - meanY) / (i + 1)
  }
  // Deviations are divided by their largest magnitude before squaring, so x ≈ 1e155 (dx² ≈ 1e310) or x ≈ 1e-170
  // (dx² underflows) fit like any other scale: slope = (scaleY/scaleX)·Σuw/Σu² with u = dx/scaleX, w = dy/scaleY.
  let scaleX = 0
  let scaleY = 0
  for (let i = 0; i < n; i++) {
    scaleX = Math.max(scaleX, Math.abs(x[i]! - meanX))
    scaleY = Math.max(scaleY, Math.abs(y[i]! - meanY))
  }
  if (scaleX === 0) throw new DegenerateFitError({ field: 'x', value: x[0]! })
  const sy = scaleY === 0 ? 1 : scaleY
  let suu = 0
  let suw = 0
  let sww = 0
  for (let i = 0; i < n; i++) {
    const u = (x[i]! - meanX) / scaleX
    const w = (y[i]! - meanY) / sy
    suu += u * u
    suw += u * w
    sww += w * w
  }
  const slope = (suw / suu) * (sy / scaleX)
  const intercept = meanY - slope * meanX
  let ssRes = 0
  for (let i = 0; i < n; i++) {
    const r = (y[i]! - (intercept + slope * x[i]!)) / sy
    ssRes += r * r
  }
  const rSquared = sww === 0 ? 1 : Math.min(1, Math.max(0, 1 - ssRes / sww))
  return { slope, intercept, rSquared, pointCount: n }
}
