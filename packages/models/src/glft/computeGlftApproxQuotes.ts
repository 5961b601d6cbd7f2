import { assertFinite } from '../internal/assert.js'
import { assertGlftModelParameters, type GlftModelParameters } from './glftParameters.js'

export type ComputeGlftApproxQuotesParameters = GlftModelParameters & {
  /** q, current inventory in lots (any real value; the approximation ignores the bound Q). */
  inventoryLots: number
}

export type ComputeGlftApproxQuotesReturnType = {
  /** δᵇ, distance of the bid below the mid, price units (negative: the bid is above the mid). */
  bidDepthPrice: number
  /** δᵃ, distance of the ask above the mid, price units. */
  askDepthPrice: number
  /** ψ = δᵇ + δᵃ, price units; independent of q. */
  spreadPrice: number
  /** C = √( σ²γ/(2kA) · (1+γ/k)^{1+k/γ} ), price units per lot (before the impact factor e^{kξ/4}). */
  cPricePerLot: number
}

export type ComputeGlftApproxQuotesErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * GLFT 2013 closed-form (asymptotic, Gaussian-eigenvector) approximation of the optimal quotes, with the §5 extensions:
 *
 * δᵇ ≈ (1/γ)·ln(1+γ/k) + ξ/2 + [ −μ/(γσ²) + (2q+1)/2 ]·e^{kξ/4}·C
 * δᵃ ≈ (1/γ)·ln(1+γ/k) + ξ/2 + [  μ/(γσ²) − (2q−1)/2 ]·e^{kξ/4}·C
 *
 * with C = √( σ²γ/(2kA) · (1+γ/k)^{1+k/γ} ), μ = `driftPricePerSec`, ξ = `impactPricePerFill` (GLFT's ξ, not
 * Guéant's). μ = ξ = 0 is GLFT Prop. 3; μ alone and ξ alone are GLFT §5; both together is the same Gaussian
 * approximation applied to the matrix with both changes (diagonal αq² − kμq, off-diagonal η·e^{−kξ/2}). Good for small
 * |q|; it ignores the inventory bound (use {@link solveGlftExact} near it).
 */
export function computeGlftApproxQuotes(
  parameters: ComputeGlftApproxQuotesParameters,
): ComputeGlftApproxQuotesReturnType {
  assertGlftModelParameters(parameters)
  assertFinite('inventoryLots', parameters.inventoryLots)
  const { gammaPerPrice: gamma, sigmaPerSqrtSec: sigma, aPerSec: a, kPerPrice: k } = parameters
  const drift = parameters.driftPricePerSec ?? 0
  const impact = parameters.impactPricePerFill ?? 0
  const q = parameters.inventoryLots
  const y = gamma / k
  const log1pY = Math.log1p(y)
  const ratio = log1pY / y // y = γ/k > 0, so no 0/0
  const baseDepth = ratio / k + impact / 2
  // (1+γ/k)^{1+k/γ} = exp(ln(1+y) + ln(1+y)/y), y = γ/k.
  const cPricePerLot = sigma * Math.sqrt((gamma / (2 * k * a)) * Math.exp(log1pY + ratio))
  const scaledC = Math.exp((k * impact) / 4) * cPricePerLot
  const driftTerm = drift === 0 ? 0 : drift / (gamma * sigma * sigma)
  const bidDepthPrice = baseDepth + (-driftTerm + (2 * q + 1) / 2) * scaledC
  const askDepthPrice = baseDepth + (driftTerm - (2 * q - 1) / 2) * scaledC
  return { bidDepthPrice, askDepthPrice, spreadPrice: 2 * baseDepth + scaledC, cPricePerLot }
}
