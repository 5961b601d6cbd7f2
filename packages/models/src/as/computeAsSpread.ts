import { logOnePlusRatioOver, productOfPowers } from '../internal/productOfPowers.js'
import { throwAsQuoteOverflow } from './throwAsQuoteOverflow.js'
import { throwInvalidAsParameter } from './throwInvalidAsParameter.js'
import type { AsQuoteParameters } from './types.js'

export type ComputeAsSpreadParameters = Pick<
  AsQuoteParameters,
  'gammaPerPrice' | 'sigmaPerSqrtTime' | 'kPerPrice' | 'timeToHorizon'
>

const FIELDS = ['gammaPerPrice', 'sigmaPerSqrtTime', 'kPerPrice', 'timeToHorizon'] as const

/** What computeAsSpread can throw. */
export type ComputeAsSpreadErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * AS 2008 total spread δᵃ + δᵇ = γσ²(T − t) + (2/γ)·ln(1 + γ/k) (eq. (30)), in price units. It does not depend on the
 * inventory q (a consequence of exponential fill intensities). Units: γ, k per price; σ price/√time; T − t time.
 *
 * @throws InvalidParameterError naming the first field out of its domain, or the input that makes the spread overflow
 * the double range (e.g. σ = 1e200: `sigmaPerSqrtTime`). Intermediate overflows (σ² alone, γ/k) are avoided.
 */
export function computeAsSpread(parameters: ComputeAsSpreadParameters): number {
  const { gammaPerPrice: gamma, sigmaPerSqrtTime: sigma, kPerPrice: k, timeToHorizon: tau } = parameters
  if (
    !(
      gamma > 0 &&
      gamma < Number.POSITIVE_INFINITY &&
      sigma >= 0 &&
      sigma < Number.POSITIVE_INFINITY &&
      k > 0 &&
      k < Number.POSITIVE_INFINITY &&
      tau >= 0 &&
      tau < Number.POSITIVE_INFINITY
    )
  )
    throwInvalidAsParameter(parameters, FIELDS)
  const spread =
    productOfPowers([
      [gamma, 1],
      [sigma, 2],
      [tau, 1],
    ]) +
    2 * logOnePlusRatioOver(gamma, k)
  if (!Number.isFinite(spread)) throwAsQuoteOverflow(parameters, 'spread', [spread])
  return spread
}
