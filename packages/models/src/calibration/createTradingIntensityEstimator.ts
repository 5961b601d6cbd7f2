import { EstimatorNotReadyError } from '../errors/calibration.js'
import type { InvalidParameterError } from '../errors/parameter.js'
import { arrivalDepthPrice } from './computeArrivalDepths.js'
import { assertIntensityGrid, depthReachCount, tradingIntensityFromCounts } from './tradingIntensityFromCounts.js'
import type {
  AggressorSide,
  TradingIntensityEstimatorState,
  TradingIntensityFit,
  TradingIntensityTradeResult,
} from './types.js'
import {
  assertAggressorSide,
  assertPositiveNs,
  assertSamplePrice,
  assertSampleTsNs,
  nsToSec,
} from './validateCalibrationInput.js'

export type CreateTradingIntensityEstimatorParameters = {
  /** Price units per tick; converts `depthGridTicks` to price units. */
  readonly tickSize: number
  /** Grid depths in ticks (not half-ticks), strictly increasing, >= 0. See `fitTradingIntensity`. */
  readonly depthGridTicks: readonly number[]
  /** Rolling window in nanoseconds: arrivals with `tsNs >= nowNs − windowNs` are counted, rates are per second of window. */
  readonly windowNs: bigint
  /** Points with fewer arrivals are left out of the fit; integer >= 1. */
  readonly minCountPerPoint: number
}

export type TradingIntensityEstimator = {
  /** Records a new mid price (price units). */
  updateMid(tsNs: bigint, midPrice: number): void
  /** Records a trade; its depth is taken from the latest mid strictly before `tsNs`. */
  updateTrade(tsNs: bigint, price: number, aggressorSide: AggressorSide): TradingIntensityTradeResult
  /** Drops arrivals older than `nowNs − windowNs` and fits the window [nowNs − windowNs, nowNs]. */
  read(nowNs: bigint): TradingIntensityEstimatorState
  /** Like `read`, but throws EstimatorNotReadyError when not ready. */
  value(nowNs: bigint): TradingIntensityFit
}

export type CreateTradingIntensityEstimatorErrorType = InvalidParameterError

/**
 * Streaming twin of `computeArrivalDepths` + `fitTradingIntensity` over a rolling window.
 *
 * Each trade costs O(log G) (binary search of its depth in the G-point grid) and O(1) memory until it leaves the window;
 * `read` costs O(G) (suffix sums of a depth histogram, then the least-squares fit). Mids, trades and reads must come in
 * non-decreasing time order (one clock for all three); a violation throws UnsortedTimestampsError (index = number of the
 * call, from 0) and leaves the state unchanged.
 *
 * Warm-up: not ready until `windowNs` has passed since the first mid or trade (so the rate denominator is a full window),
 * then not ready while fewer than 2 grid depths hold `minCountPerPoint` arrivals. Once ready, the fit equals
 * `fitTradingIntensity` on the same arrivals with `windowStartNs = nowNs − windowNs`, `windowEndNs = nowNs`.
 */
export function createTradingIntensityEstimator({
  tickSize,
  depthGridTicks,
  windowNs,
  minCountPerPoint,
}: CreateTradingIntensityEstimatorParameters): TradingIntensityEstimator {
  assertIntensityGrid(tickSize, depthGridTicks, minCountPerPoint)
  assertPositiveNs('windowNs', windowNs)
  const grid = [...depthGridTicks]
  const histogram = new Float64Array(grid.length + 1)
  let tsBuffer: bigint[] = []
  let reachBuffer: number[] = []
  let head = 0
  let callIndex = 0
  let firstTsNs: bigint | undefined
  let latestTsNs: bigint | undefined
  // The latest mid, and the latest mid stamped strictly before it (used for a trade stamped at the same instant).
  let midTsNs: bigint | undefined
  let midPrice = 0
  let priorMidTsNs: bigint | undefined
  let priorMidPrice = 0

  function advance(tsNs: bigint): void {
    if (firstTsNs === undefined) firstTsNs = tsNs
    latestTsNs = tsNs
  }

  function evict(nowNs: bigint): void {
    const fromTsNs = nowNs - windowNs
    while (head < tsBuffer.length && tsBuffer[head]! < fromTsNs) {
      const reach = reachBuffer[head]!
      histogram[reach] = histogram[reach]! - 1
      head++
    }
    if (head >= 1024 && head * 2 >= tsBuffer.length) {
      tsBuffer = tsBuffer.slice(head)
      reachBuffer = reachBuffer.slice(head)
      head = 0
    }
  }

  function read(nowNs: bigint): TradingIntensityEstimatorState {
    assertSampleTsNs('nowNs', callIndex, nowNs, latestTsNs)
    callIndex++
    latestTsNs = nowNs // a read moves the clock but does not start the history
    evict(nowNs)
    const historyNs = firstTsNs === undefined ? 0n : nowNs - firstTsNs
    const arrivalCount = tsBuffer.length - head
    let usablePointCount = 0
    let count = 0
    for (let i = grid.length - 1; i >= 0; i--) {
      count += histogram[i + 1]!
      if (count >= minCountPerPoint) usablePointCount++
    }
    const progress = { historyNs, neededHistoryNs: windowNs, arrivalCount, usablePointCount }
    if (historyNs < windowNs) return { ready: false, reason: 'warmUp', ...progress }
    if (usablePointCount < 2) return { ready: false, reason: 'tooFewDepthPoints', ...progress }
    return {
      ready: true,
      ...tradingIntensityFromCounts(histogram, grid, tickSize, nsToSec(windowNs), minCountPerPoint),
    }
  }

  return {
    updateMid(tsNs: bigint, price: number): void {
      assertSampleTsNs('tsNs', callIndex, tsNs, latestTsNs)
      assertSamplePrice('midPrice', callIndex, price)
      callIndex++
      advance(tsNs)
      if (midTsNs !== undefined && midTsNs < tsNs) {
        priorMidTsNs = midTsNs
        priorMidPrice = midPrice
      }
      midTsNs = tsNs
      midPrice = price
    },
    updateTrade(tsNs: bigint, price: number, aggressorSide: AggressorSide): TradingIntensityTradeResult {
      assertSampleTsNs('tsNs', callIndex, tsNs, latestTsNs)
      assertSamplePrice('price', callIndex, price)
      assertAggressorSide('aggressorSide', callIndex, aggressorSide)
      callIndex++
      advance(tsNs)
      evict(tsNs)
      let referenceMid: number
      if (midTsNs !== undefined && midTsNs < tsNs) referenceMid = midPrice
      else if (priorMidTsNs !== undefined) referenceMid = priorMidPrice
      else return { matched: false }
      const depthPrice = arrivalDepthPrice(price, referenceMid, aggressorSide)
      const reach = depthReachCount(depthPrice, tickSize, grid)
      histogram[reach] = histogram[reach]! + 1
      tsBuffer.push(tsNs)
      reachBuffer.push(reach)
      return { matched: true, depthPrice }
    },
    read,
    value(nowNs: bigint): TradingIntensityFit {
      const state = read(nowNs)
      if (!state.ready)
        throw new EstimatorNotReadyError({
          estimator: 'tradingIntensity',
          reason: state.reason,
          progress: `${state.historyNs}/${state.neededHistoryNs} ns of history, ${state.usablePointCount}/2 usable depth points`,
        })
      const { ready: _ready, ...fit } = state
      return fit
    },
  }
}
