import type {
  DegenerateFitError,
  InsufficientDataError,
  InvalidSampleError,
  UnsortedTimestampsError,
} from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { assertIntensityGrid, depthReachCount, tradingIntensityFromCounts } from './tradingIntensityFromCounts.js'
import type { ArrivalSample, TradingIntensityFit } from './types.js'
import { assertArray, assertSampleFinite, assertSampleTsNs, nsToSec } from './validateCalibrationInput.js'

export type FitTradingIntensityParameters = {
  /** Arrivals (from `computeArrivalDepths`, optionally `aggregateArrivalsByInterval`), non-decreasing `tsNs`, all inside the window. */
  readonly arrivals: readonly ArrivalSample[]
  /** Window start (inclusive), nanoseconds. The rate denominator is the window length, not the span of the arrivals. */
  readonly windowStartNs: bigint
  /** Window end (inclusive), nanoseconds; > windowStartNs. */
  readonly windowEndNs: bigint
  /** Price units per tick (0.01 for Binance ETHUSDT). Converts the grid: δ_price = δ_ticks · tickSize. */
  readonly tickSize: number
  /**
   * Depths δ_i at which λ is measured and fitted, **in ticks** (whole ticks, not half-ticks: 3 means 3·tickSize from the mid),
   * strictly increasing, >= 0. Fractional values are allowed (e.g. 0.5, 1.5, … to sit on the price levels when the mid is
   * between two ticks). This is the "chosen depth range" of the fit.
   */
  readonly depthGridTicks: readonly number[]
  /** Points with fewer arrivals than this are left out of the fit (ln 0 is undefined; tiny counts are noisy); integer >= 1. */
  readonly minCountPerPoint: number
}

export type FitTradingIntensityReturnType = TradingIntensityFit

export type FitTradingIntensityErrorType =
  | InvalidParameterError
  | InvalidSampleError
  | UnsortedTimestampsError
  | InsufficientDataError
  | DegenerateFitError

/**
 * Fits the order-arrival intensity λ(δ) = A·e^(−kδ) of the Avellaneda–Stoikov / GLFT models.
 *
 * For each grid depth δ_i: count_i = number of arrivals with depth >= δ_i (a quote resting δ_i from the mid would have been
 * reached), λ_i = count_i / windowSec (a Poisson rate per second, not a summed volume: see Hummingbot #6144). Then ordinary
 * least squares of ln λ_i on δ_i (price units) over the points with count_i >= minCountPerPoint gives k = −slope, A = e^intercept.
 * `kPerTick = kPerPrice · tickSize` is the same k for δ in ticks. Depths are never in half-ticks (hftbacktest #233).
 *
 * A k <= 0 (intensity not decreasing with depth) is returned as fitted, not replaced: the pricing functions reject it.
 */
export function fitTradingIntensity({
  arrivals,
  windowStartNs,
  windowEndNs,
  tickSize,
  depthGridTicks,
  minCountPerPoint,
}: FitTradingIntensityParameters): FitTradingIntensityReturnType {
  assertArray('arrivals', arrivals, 'an array of { tsNs, depthPrice }')
  if (typeof windowStartNs !== 'bigint' || windowStartNs < 0n)
    throw new InvalidParameterError({ field: 'windowStartNs', value: windowStartNs, rule: 'a bigint >= 0n' })
  if (typeof windowEndNs !== 'bigint' || windowEndNs <= windowStartNs)
    throw new InvalidParameterError({
      field: 'windowEndNs',
      value: windowEndNs,
      rule: `a bigint > windowStartNs (${windowStartNs}n)`,
    })
  assertIntensityGrid(tickSize, depthGridTicks, minCountPerPoint)
  const histogram = new Float64Array(depthGridTicks.length + 1)
  let previousTsNs: bigint | undefined
  for (let i = 0; i < arrivals.length; i++) {
    const a = arrivals[i]!
    assertSampleTsNs(`arrivals[${i}].tsNs`, i, a.tsNs, previousTsNs)
    assertSampleFinite(`arrivals[${i}].depthPrice`, i, a.depthPrice)
    if (a.tsNs < windowStartNs || a.tsNs > windowEndNs)
      throw new InvalidParameterError({
        field: `arrivals[${i}].tsNs`,
        value: a.tsNs,
        rule: `inside the window [${windowStartNs}n, ${windowEndNs}n]`,
        next: 'filter the arrivals to the window first.',
      })
    previousTsNs = a.tsNs
    const reach = depthReachCount(a.depthPrice, tickSize, depthGridTicks)
    histogram[reach] = histogram[reach]! + 1
  }
  return tradingIntensityFromCounts(
    histogram,
    depthGridTicks,
    tickSize,
    nsToSec(windowEndNs - windowStartNs),
    minCountPerPoint,
  )
}
