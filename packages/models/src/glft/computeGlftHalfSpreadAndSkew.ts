import { assertNonNegative } from '../internal/assert.js'
import { type ComputeGlftCoefficientsParameters, computeGlftCoefficients } from './computeGlftCoefficients.js'

export type ComputeGlftHalfSpreadAndSkewParameters = ComputeGlftCoefficientsParameters & {
  /** σ, price units per √second. ≥ 0. */
  sigmaPerSqrtSec: number
}

export type ComputeGlftHalfSpreadAndSkewReturnType = {
  /** c1 + (Δ/2)·σ·c2, price units: the depth of both quotes at zero inventory. */
  halfSpreadPrice: number
  /** σ·c2, price units per base unit of inventory. */
  skewPricePerBase: number
}

export type ComputeGlftHalfSpreadAndSkewErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * hftbacktest's form of the closed-form GLFT quotes: half_spread = c1 + Δ/2·σ·c2, skew = σ·c2. The mapping to depths
 * from the mid is δᵇ(q) = halfSpread + skew·q, δᵃ(q) = halfSpread − skew·q, i.e. a reservation price
 * mid − skew·q with the quotes ±halfSpread around it. hftbacktest's "adjusted" variant multiplies skew by adj2
 * (0.05 = 1/max_position, a normalised inventory); that is a caller-side scaling and is not applied here.
 */
export function computeGlftHalfSpreadAndSkew(
  parameters: ComputeGlftHalfSpreadAndSkewParameters,
): ComputeGlftHalfSpreadAndSkewReturnType {
  const { c1Price, c2SqrtSecPerBase } = computeGlftCoefficients(parameters)
  assertNonNegative('sigmaPerSqrtSec', parameters.sigmaPerSqrtSec)
  const skewPricePerBase = parameters.sigmaPerSqrtSec * c2SqrtSecPerBase
  return { halfSpreadPrice: c1Price + (parameters.orderSizeBase / 2) * skewPricePerBase, skewPricePerBase }
}
