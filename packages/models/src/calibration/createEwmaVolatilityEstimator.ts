import { EstimatorNotReadyError } from '../errors/calibration.js'
import type { InvalidParameterError } from '../errors/parameter.js'
import { assertInteger } from '../internal/assert.js'
import { type EwmaVarianceAccumulator, ewmaVarianceStep } from './ewmaVarianceStep.js'
import type { VolatilityEstimate, VolatilityEstimator, VolatilityEstimatorState, VolatilityReturns } from './types.js'
import {
  assertNonNegativeNs,
  assertPositiveNs,
  assertSamplePrice,
  assertSampleTsNs,
  assertVolatilityReturns,
  nsToSec,
} from './validateCalibrationInput.js'

export type CreateEwmaVolatilityEstimatorParameters = {
  /** Half-life of the exponential weights in nanoseconds. */
  readonly halfLifeNs: bigint
  /** `'price'`: σ in price units/√s (AS/GLFT); `'log'`: σ of log returns in 1/√s. */
  readonly returns: VolatilityReturns
  /** History (time since the first sample) needed before the estimate is ready, in nanoseconds; e.g. 2–3 half-lives. */
  readonly warmUpNs: bigint
  /** Increments needed before the estimate is ready; integer >= 1. */
  readonly minIncrements: number
}

export type CreateEwmaVolatilityEstimatorErrorType = InvalidParameterError

/**
 * Streaming twin of `computeEwmaVolatility`: O(1) time and memory per sample, bit-identical to the batch function on the
 * same samples (both run the same step).
 *
 * Warm-up: `read().ready` is false until at least `warmUpNs` has passed since the first sample and `minIncrements` increments
 * were seen, or while no time has elapsed yet (`reason: 'zeroElapsedTime'`). `value()` then throws EstimatorNotReadyError.
 * `update` validates its sample (InvalidSampleError / UnsortedTimestampsError, index = number of the update from 0) and
 * leaves the state unchanged when it throws.
 */
export function createEwmaVolatilityEstimator({
  halfLifeNs,
  returns,
  warmUpNs,
  minIncrements,
}: CreateEwmaVolatilityEstimatorParameters): VolatilityEstimator {
  assertPositiveNs('halfLifeNs', halfLifeNs)
  assertVolatilityReturns('returns', returns)
  assertNonNegativeNs('warmUpNs', warmUpNs)
  assertInteger('minIncrements', minIncrements, 1)
  const tauSec = nsToSec(halfLifeNs) / Math.LN2
  const log = returns === 'log'
  const acc: EwmaVarianceAccumulator = { weightedVariance: 0, weight: 0 }
  let updateIndex = 0
  let incrementCount = 0
  let firstTsNs: bigint | undefined
  let latestTsNs: bigint | undefined
  let previousX = 0

  function read(): VolatilityEstimatorState {
    const historyNs = firstTsNs === undefined || latestTsNs === undefined ? 0n : latestTsNs - firstTsNs
    const notReady = {
      ready: false as const,
      incrementCount,
      neededIncrements: minIncrements,
      historyNs,
      neededHistoryNs: warmUpNs,
    }
    if (historyNs < warmUpNs || incrementCount < minIncrements) return { ...notReady, reason: 'warmUp' }
    if (historyNs === 0n) return { ...notReady, reason: 'zeroElapsedTime' }
    const variancePerSec = acc.weightedVariance / acc.weight
    return {
      ready: true,
      returns,
      sigmaPerSqrtSec: Math.sqrt(variancePerSec),
      variancePerSec,
      incrementCount,
      elapsedNs: historyNs,
    }
  }

  return {
    update(tsNs: bigint, price: number): VolatilityEstimatorState {
      assertSampleTsNs('tsNs', updateIndex, tsNs, latestTsNs)
      assertSamplePrice('price', updateIndex, price)
      updateIndex++
      const x = log ? Math.log(price) : price
      if (latestTsNs === undefined) firstTsNs = tsNs
      else {
        ewmaVarianceStep(acc, x - previousX, nsToSec(tsNs - latestTsNs), tauSec)
        incrementCount++
      }
      previousX = x
      latestTsNs = tsNs
      return read()
    },
    read,
    value(): VolatilityEstimate {
      const state = read()
      if (!state.ready)
        throw new EstimatorNotReadyError({
          estimator: 'ewmaVolatility',
          reason: state.reason,
          progress: `${state.incrementCount}/${state.neededIncrements} increments, ${state.historyNs}/${state.neededHistoryNs} ns of history`,
        })
      const { ready: _ready, ...estimate } = state
      return estimate
    },
  }
}
