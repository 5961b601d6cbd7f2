import { InvalidParameterError } from '../errors/parameter.js'
import { assertNonNegative } from '../internal/assert.js'
import { largestLogContribution } from '../internal/productOfPowers.js'
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
 *
 * @throws InvalidParameterError for an input out of its domain, or naming the input that makes a result overflow.
 */
export function computeGlftHalfSpreadAndSkew(
  parameters: ComputeGlftHalfSpreadAndSkewParameters,
): ComputeGlftHalfSpreadAndSkewReturnType {
  const { c1Price, c2SqrtSecPerBase } = computeGlftCoefficients(parameters)
  assertNonNegative('sigmaPerSqrtSec', parameters.sigmaPerSqrtSec)
  const skewPricePerBase = parameters.sigmaPerSqrtSec * c2SqrtSecPerBase
  const halfSpreadPrice = c1Price + (parameters.orderSizeBase / 2) * skewPricePerBase
  if (!(Number.isFinite(skewPricePerBase) && Number.isFinite(halfSpreadPrice)))
    throwGlftOverflow(parameters, 'half spread and skew', { halfSpreadPrice, skewPricePerBase })
  return { halfSpreadPrice, skewPricePerBase }
}

/**
 * Names the input that made a closed-form GLFT result overflow: the largest factor of σ·c2 (σ, √γ, 1/√A, √Δ, 1/√k),
 * or of `extra` (e.g. the inventory).
 */
export function throwGlftOverflow(
  parameters: ComputeGlftHalfSpreadAndSkewParameters,
  what: string,
  got: Readonly<Record<string, number>>,
  extra: Readonly<Record<string, readonly [number, number]>> = {},
): never {
  const { sigmaPerSqrtSec: sigma, gammaPerPrice: gamma, aPerSec: a, orderSizeBase: delta, kPerPrice: k } = parameters
  const field = largestLogContribution({
    sigmaPerSqrtSec: [sigma, 1],
    gammaPerPrice: [gamma, 0.5],
    aPerSec: [a, -0.5],
    orderSizeBase: [delta, 0.5],
    kPerPrice: [k, -0.5],
    ...extra,
  })
  throw new InvalidParameterError({
    field,
    value: (parameters as Record<string, unknown>)[field],
    rule: `such that the ${what} is finite (got ${Object.entries(got)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')})`,
    next: `check the units of ${field}: the closed form overflowed the double range.`,
  })
}
