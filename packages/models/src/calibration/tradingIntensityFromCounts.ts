import { InsufficientDataError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { assertInteger, assertPositive } from '../internal/assert.js'
import { fitLeastSquaresLine } from './fitLeastSquaresLine.js'
import type { TradingIntensityFit, TradingIntensityPoint } from './types.js'
import { assertArray } from './validateCalibrationInput.js'

// Internal core shared by fitTradingIntensity and createTradingIntensityEstimator, so that batch and streaming agree exactly.

/**
 * Tolerance, in ticks, when comparing an arrival depth with a grid depth. Depths are differences of decimal prices held as
 * binary floats (2681.63 − 2681.625 = 0.00500000000010914), so a trade exactly n ticks deep must not miss the grid point n by
 * one ulp. 1e-9 tick is far below any real price increment.
 */
export const DEPTH_TOLERANCE_TICKS = 1e-9

export function assertIntensityGrid(
  tickSize: number,
  depthGridTicks: readonly number[],
  minCountPerPoint: number,
): void {
  assertPositive('tickSize', tickSize)
  assertArray('depthGridTicks', depthGridTicks, 'an array of numbers')
  if (depthGridTicks.length < 2)
    throw new InsufficientDataError({
      field: 'depthGridTicks entries',
      got: depthGridTicks.length,
      needed: 2,
      next: 'pass a depth grid with at least two depths (a line needs two points).',
    })
  for (let i = 0; i < depthGridTicks.length; i++) {
    const d = depthGridTicks[i]!
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0)
      throw new InvalidParameterError({ field: `depthGridTicks[${i}]`, value: d, rule: 'a finite number >= 0' })
    if (i > 0 && d <= depthGridTicks[i - 1]!)
      throw new InvalidParameterError({
        field: `depthGridTicks[${i}]`,
        value: d,
        rule: `> depthGridTicks[${i - 1}] (${depthGridTicks[i - 1]}), strictly increasing`,
      })
  }
  assertInteger('minCountPerPoint', minCountPerPoint, 1)
}

/** Number of grid depths an arrival of `depthPrice` reaches (grid ascending): the count of δ_i <= depth (+ tolerance). */
export function depthReachCount(depthPrice: number, tickSize: number, depthGridTicks: readonly number[]): number {
  const depthTicks = depthPrice / tickSize + DEPTH_TOLERANCE_TICKS
  let lo = 0
  let hi = depthGridTicks.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (depthGridTicks[mid]! <= depthTicks) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * From `reachHistogram[j]` = number of arrivals that reached exactly the first j grid depths, builds the points and fits
 * ln λ on δ (price units).
 */
export function tradingIntensityFromCounts(
  reachHistogram: ArrayLike<number>,
  depthGridTicks: readonly number[],
  tickSize: number,
  windowSec: number,
  minCountPerPoint: number,
): TradingIntensityFit {
  const n = depthGridTicks.length
  const points: TradingIntensityPoint[] = new Array(n)
  const x: number[] = []
  const y: number[] = []
  let arrivalCount = 0
  for (let j = 0; j <= n; j++) arrivalCount += reachHistogram[j]!
  let count = 0
  for (let i = n - 1; i >= 0; i--) {
    count += reachHistogram[i + 1]!
    const depthTicks = depthGridTicks[i]!
    const depthPrice = depthTicks * tickSize
    const lambdaPerSec = count / windowSec
    const usedInFit = count >= minCountPerPoint
    points[i] = { depthTicks, depthPrice, count, lambdaPerSec, usedInFit }
  }
  for (let i = 0; i < n; i++) {
    const p = points[i]!
    if (p.usedInFit) {
      x.push(p.depthPrice)
      y.push(Math.log(p.lambdaPerSec))
    }
  }
  if (x.length < 2)
    throw new InsufficientDataError({
      field: `depth-grid points with count >= minCountPerPoint (${minCountPerPoint})`,
      got: x.length,
      needed: 2,
      next: 'use a longer window, a shallower depth grid or a smaller minCountPerPoint.',
    })
  const line = fitLeastSquaresLine({ x, y })
  const kPerPrice = -line.slope
  return {
    aPerSec: Math.exp(line.intercept),
    kPerPrice,
    kPerTick: kPerPrice * tickSize,
    rSquared: line.rSquared,
    fitPointCount: line.pointCount,
    windowSec,
    arrivalCount,
    tickSize,
    points,
  }
}
