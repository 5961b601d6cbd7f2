import { InsufficientDataError, type InvalidSampleError, type UnsortedTimestampsError } from '../errors/calibration.js'
import type { InvalidParameterError } from '../errors/parameter.js'
import type { PriceSample, VolatilityEstimate, VolatilityReturns } from './types.js'
import {
  assertArray,
  assertPositiveNs,
  assertSamplePrice,
  assertSampleTsNs,
  assertVolatilityReturns,
  nsToSec,
} from './validateCalibrationInput.js'

export type ComputeRealizedVolatilityParameters = {
  /** Price observations in non-decreasing `tsNs` order (irregular spacing and equal timestamps are fine). */
  readonly samples: readonly PriceSample[]
  /** `'price'`: σ in price units/√s (AS/GLFT); `'log'`: σ of log returns in 1/√s. */
  readonly returns: VolatilityReturns
  /**
   * Optional rolling window in nanoseconds: only samples with `tsNs >= lastTsNs − windowNs` are used (the window ends at the
   * last sample). Omit to use every sample.
   */
  readonly windowNs?: bigint | undefined
}

export type ComputeRealizedVolatilityReturnType = VolatilityEstimate

export type ComputeRealizedVolatilityErrorType =
  | InvalidParameterError
  | InvalidSampleError
  | UnsortedTimestampsError
  | InsufficientDataError

/**
 * Realized volatility per √second from irregularly spaced samples:
 *
 *   σ² = Σ (x_i − x_{i−1})² / (t_last − t_first),   x = price (`'price'`) or ln price (`'log'`), t in seconds.
 *
 * The squared increments are divided by the **elapsed time**, not by the number of samples, so sampling on every quote update,
 * on a fixed grid or at random times all estimate the same σ (E[Σ Δx²] = σ²·Σ Δt for a driftless Brownian motion). Increments
 * are not demeaned (the drift over seconds is negligible next to the noise; hftbacktest's `nanstd` demeans, which differs by
 * O(1/n)). Sampling every book update includes bid/ask bounce, which inflates σ at tick scale: resample to a coarser grid first
 * if that matters for you.
 *
 * @throws InvalidParameterError (bad `samples`, `returns`, `windowNs`), InvalidSampleError / UnsortedTimestampsError (with the
 *   sample index), InsufficientDataError (fewer than 2 samples in the window, or zero elapsed time).
 */
export function computeRealizedVolatility({
  samples,
  returns,
  windowNs,
}: ComputeRealizedVolatilityParameters): ComputeRealizedVolatilityReturnType {
  assertArray('samples', samples, 'an array of { tsNs, price }')
  assertVolatilityReturns('returns', returns)
  if (windowNs !== undefined) assertPositiveNs('windowNs', windowNs)
  let previousTsNs: bigint | undefined
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!
    assertSampleTsNs(`samples[${i}].tsNs`, i, s.tsNs, previousTsNs)
    assertSamplePrice(`samples[${i}].price`, i, s.price)
    previousTsNs = s.tsNs
  }
  if (samples.length < 2)
    throw new InsufficientDataError({
      field: 'samples',
      got: samples.length,
      needed: 2,
      next: 'pass at least two price samples.',
    })
  const lastTsNs = samples[samples.length - 1]!.tsNs
  let start = 0
  if (windowNs !== undefined) {
    const fromTsNs = lastTsNs - windowNs
    while (samples[start]!.tsNs < fromTsNs) start++
  }
  const incrementCount = samples.length - 1 - start
  if (incrementCount < 1)
    throw new InsufficientDataError({
      field: 'samples in the window',
      got: incrementCount + 1,
      needed: 2,
      next: 'widen windowNs or pass more samples.',
    })
  const elapsedNs = lastTsNs - samples[start]!.tsNs
  if (elapsedNs === 0n)
    throw new InsufficientDataError({
      field: 'elapsed nanoseconds',
      got: 0,
      needed: 1,
      next: 'pass samples that span a positive time interval.',
    })
  const log = returns === 'log'
  let previousX = log ? Math.log(samples[start]!.price) : samples[start]!.price
  let sumSq = 0
  for (let i = start + 1; i < samples.length; i++) {
    const x = log ? Math.log(samples[i]!.price) : samples[i]!.price
    const d = x - previousX
    sumSq += d * d
    previousX = x
  }
  const variancePerSec = sumSq / nsToSec(elapsedNs)
  return { returns, sigmaPerSqrtSec: Math.sqrt(variancePerSec), variancePerSec, incrementCount, elapsedNs }
}
