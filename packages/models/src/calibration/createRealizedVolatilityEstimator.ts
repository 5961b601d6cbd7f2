import { EstimatorNotReadyError } from '../errors/calibration.js'
import type { InvalidParameterError } from '../errors/parameter.js'
import { assertInteger } from '../internal/assert.js'
import { createCompensatedSum } from './compensatedSum.js'
import type { VolatilityEstimate, VolatilityEstimator, VolatilityEstimatorState, VolatilityReturns } from './types.js'
import {
  assertPositiveNs,
  assertSamplePrice,
  assertSampleTsNs,
  assertVolatilityReturns,
  nsToSec,
} from './validateCalibrationInput.js'

export type CreateRealizedVolatilityEstimatorParameters = {
  /** Rolling window in nanoseconds: samples with `tsNs >= latestTsNs − windowNs` are kept. */
  readonly windowNs: bigint
  /** `'price'`: σ in price units/√s (AS/GLFT); `'log'`: σ of log returns in 1/√s. */
  readonly returns: VolatilityReturns
  /** Increments (consecutive sample pairs) needed inside the window before the estimate is ready; integer >= 1. */
  readonly minIncrements: number
}

export type CreateRealizedVolatilityEstimatorErrorType = InvalidParameterError

/**
 * Streaming twin of `computeRealizedVolatility` with `windowNs`: σ² = Σ Δx² / (t_last − t_first) over the samples of the
 * rolling window, updated in O(1) amortised time per sample (running compensated sum of squared increments; the sum is
 * recomputed exactly whenever the buffer is compacted, so rounding drift stays bounded).
 *
 * Warm-up: `read().ready` is false until (a) at least `windowNs` has passed since the first sample, so the window is full, and
 * (b) the window holds at least `minIncrements` increments. Once ready the value equals `computeRealizedVolatility` on the same
 * samples with the same `windowNs` (to rounding).
 *
 * Errors: `update` throws InvalidSampleError / UnsortedTimestampsError (index = number of the update, from 0) and leaves the
 * state unchanged; `value()` throws EstimatorNotReadyError before warm-up.
 */
export function createRealizedVolatilityEstimator({
  windowNs,
  returns,
  minIncrements,
}: CreateRealizedVolatilityEstimatorParameters): VolatilityEstimator {
  assertPositiveNs('windowNs', windowNs)
  assertVolatilityReturns('returns', returns)
  assertInteger('minIncrements', minIncrements, 1)
  const log = returns === 'log'
  let tsBuffer: bigint[] = []
  let xBuffer: number[] = []
  let head = 0
  let updateIndex = 0
  let firstTsNs: bigint | undefined
  let latestTsNs: bigint | undefined
  const sumSq = createCompensatedSum()

  function recomputeSum(): void {
    sumSq.reset()
    for (let i = head + 1; i < xBuffer.length; i++) {
      const d = xBuffer[i]! - xBuffer[i - 1]!
      sumSq.add(d * d)
    }
  }

  function read(): VolatilityEstimatorState {
    const incrementCount = xBuffer.length - head - 1
    const historyNs = firstTsNs === undefined || latestTsNs === undefined ? 0n : latestTsNs - firstTsNs
    const count = Math.max(incrementCount, 0)
    if (historyNs < windowNs || count < minIncrements)
      return {
        ready: false,
        reason: 'warmUp',
        incrementCount: count,
        neededIncrements: minIncrements,
        historyNs,
        neededHistoryNs: windowNs,
      }
    const elapsedNs = latestTsNs! - tsBuffer[head]!
    if (elapsedNs === 0n)
      return {
        ready: false,
        reason: 'zeroElapsedTime',
        incrementCount: count,
        neededIncrements: minIncrements,
        historyNs,
        neededHistoryNs: windowNs,
      }
    const variancePerSec = Math.max(0, sumSq.value()) / nsToSec(elapsedNs)
    return {
      ready: true,
      returns,
      sigmaPerSqrtSec: Math.sqrt(variancePerSec),
      variancePerSec,
      incrementCount: count,
      elapsedNs,
    }
  }

  return {
    update(tsNs: bigint, price: number): VolatilityEstimatorState {
      assertSampleTsNs('tsNs', updateIndex, tsNs, latestTsNs)
      assertSamplePrice('price', updateIndex, price)
      updateIndex++
      const x = log ? Math.log(price) : price
      if (xBuffer.length > head) {
        const d = x - xBuffer[xBuffer.length - 1]!
        sumSq.add(d * d)
      }
      tsBuffer.push(tsNs)
      xBuffer.push(x)
      if (firstTsNs === undefined) firstTsNs = tsNs
      latestTsNs = tsNs
      const fromTsNs = tsNs - windowNs
      while (tsBuffer[head]! < fromTsNs) {
        const d = xBuffer[head + 1]! - xBuffer[head]!
        sumSq.add(-(d * d))
        head++
      }
      if (head >= 1024 && head * 2 >= xBuffer.length) {
        tsBuffer = tsBuffer.slice(head)
        xBuffer = xBuffer.slice(head)
        head = 0
        recomputeSum()
      }
      return read()
    },
    read,
    value(): VolatilityEstimate {
      const state = read()
      if (!state.ready)
        throw new EstimatorNotReadyError({
          estimator: 'realizedVolatility',
          reason: state.reason,
          progress: `${state.incrementCount}/${state.neededIncrements} increments, ${state.historyNs}/${state.neededHistoryNs} ns of history`,
        })
      const { ready: _ready, ...estimate } = state
      return estimate
    },
  }
}
