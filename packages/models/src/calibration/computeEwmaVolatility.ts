import { InsufficientDataError, type InvalidSampleError, type UnsortedTimestampsError } from '../errors/calibration.js'
import type { InvalidParameterError } from '../errors/parameter.js'
import { type EwmaVarianceAccumulator, ewmaVarianceStep } from './ewmaVarianceStep.js'
import type { PriceSample, VolatilityEstimate, VolatilityReturns } from './types.js'
import {
  assertArray,
  assertPositiveNs,
  assertSamplePrice,
  assertSampleTsNs,
  assertVolatilityReturns,
  nsToSec,
} from './validateCalibrationInput.js'

export type ComputeEwmaVolatilityParameters = {
  /** Price observations in non-decreasing `tsNs` order (irregular spacing and equal timestamps are fine). */
  readonly samples: readonly PriceSample[]
  /** Half-life of the exponential weights in nanoseconds (time constant τ = halfLife / ln 2). */
  readonly halfLifeNs: bigint
  /** `'price'`: σ in price units/√s (AS/GLFT); `'log'`: σ of log returns in 1/√s. */
  readonly returns: VolatilityReturns
}

export type ComputeEwmaVolatilityReturnType = VolatilityEstimate

export type ComputeEwmaVolatilityErrorType =
  | InvalidParameterError
  | InvalidSampleError
  | UnsortedTimestampsError
  | InsufficientDataError

/**
 * Exponentially weighted volatility per √second at the last sample, in continuous time:
 *
 *   σ² = Σ_i w_i·Δx_i²/Δt_i / Σ_i w_i,   w_i = (1 − e^(−Δt_i/τ))·e^(−(t_last − t_i)/τ),   τ = halfLife/ln 2,
 *
 * i.e. each increment's variance rate Δx²/Δt is weighted by the time it covers (≈ Δt/τ) and decays with age **in time**, not
 * in sample count, so bursts of quotes do not shorten the memory. Dividing by Σ w_i removes the start-up bias (no seed value).
 * x = price (`'price'`, σ in price units/√s) or ln price (`'log'`, σ in 1/√s).
 *
 * @throws InvalidParameterError, InvalidSampleError / UnsortedTimestampsError (with the index), InsufficientDataError (fewer
 *   than 2 samples or zero elapsed time).
 */
export function computeEwmaVolatility({
  samples,
  halfLifeNs,
  returns,
}: ComputeEwmaVolatilityParameters): ComputeEwmaVolatilityReturnType {
  assertArray('samples', samples, 'an array of { tsNs, price }')
  assertPositiveNs('halfLifeNs', halfLifeNs)
  assertVolatilityReturns('returns', returns)
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
  const elapsedNs = samples[samples.length - 1]!.tsNs - samples[0]!.tsNs
  if (elapsedNs === 0n)
    throw new InsufficientDataError({
      field: 'elapsed nanoseconds',
      got: 0,
      needed: 1,
      next: 'pass samples that span a positive time interval.',
    })
  const tauSec = nsToSec(halfLifeNs) / Math.LN2
  const log = returns === 'log'
  const acc: EwmaVarianceAccumulator = { weightedVariance: 0, weight: 0 }
  let previousX = log ? Math.log(samples[0]!.price) : samples[0]!.price
  for (let i = 1; i < samples.length; i++) {
    const s = samples[i]!
    const x = log ? Math.log(s.price) : s.price
    ewmaVarianceStep(acc, x - previousX, nsToSec(s.tsNs - samples[i - 1]!.tsNs), tauSec)
    previousX = x
  }
  const variancePerSec = acc.weightedVariance / acc.weight
  return {
    returns,
    sigmaPerSqrtSec: Math.sqrt(variancePerSec),
    variancePerSec,
    incrementCount: samples.length - 1,
    elapsedNs,
  }
}
