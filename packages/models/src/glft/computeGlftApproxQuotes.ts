import { InvalidParameterError } from '../errors/parameter.js'
import { assertFinite } from '../internal/assert.js'
import { largestLogContribution, type PowerTerm, productOfPowers } from '../internal/productOfPowers.js'
import { applyDepthQuotePolicy, type DepthQuoteOptions, type QuoteFlags } from '../quote/quoteFlags.js'
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
  /**
   * Crossing (negative depth) and, with `options.midPrice`, non-positive price flags, and whether each side is quoted
   * after `options.crossing`: the same {@link QuoteFlags} as every model.
   */
  flags: QuoteFlags
}

export type ComputeGlftApproxQuotesErrorType =
  | import('../errors/parameter.js').InvalidParameterErrorType
  | import('../errors/parameter.js').QuoteCrossesMidErrorType
  | import('../errors/parameter.js').QuoteNonPositivePriceErrorType

/**
 * GLFT 2013 closed-form (asymptotic, Gaussian-eigenvector) approximation of the optimal quotes, with the §5 extensions:
 *
 * δᵇ ≈ (1/γ)·ln(1+γ/k) + ξ/2 + [ −μ/(γσ²) + (2q+1)/2 ]·e^{kξ/4}·C
 * δᵃ ≈ (1/γ)·ln(1+γ/k) + ξ/2 + [  μ/(γσ²) − (2q−1)/2 ]·e^{kξ/4}·C
 *
 * with C = √( σ²γ/(2kA) · (1+γ/k)^{1+k/γ} ), μ = `driftPricePerSec`, ξ = `impactPricePerFill` (GLFT's ξ, not
 * Guéant's). μ = ξ = 0 is GLFT Prop. 3; μ alone and ξ alone are GLFT §5; both together is the same Gaussian
 * approximation applied to the matrix with both changes (diagonal αq² − kμq, off-diagonal η·e^{−kξ/2}). Good for small
 * |q|; it ignores the inventory bound (use {@link solveGlftExact} near it). A maker fee φ (`makerFeePrice`, negative for
 * a rebate) adds φ to both depths and multiplies C by e^{kφ/2} (A → A·e^{−kφ}). Separate bid/ask intensities are not
 * offered here: GLFT's change of variables u = −e^{−γ(x+qs)}·v^{−γ/k} needs one k for both sides.
 *
 * Finite extreme inputs (A = 1e-320, a large impact with a small C, q = 1e308) give the representable result or an
 * InvalidParameterError naming the input that overflows (never ±Infinity or NaN).
 *
 * A negative depth (|q| large against the base depth) is flagged in `flags.bidCrossesMid` / `askCrossesMid`, a price
 * ≤ 0 (with `options.midPrice`) in `flags.…PriceNonPositive`; `options.crossing` applies the shared policy
 * ('report' by default; 'clip' sets a crossing depth to 0; 'drop' unquotes the side; 'throw' throws).
 */
export function computeGlftApproxQuotes(
  parameters: ComputeGlftApproxQuotesParameters,
  options?: DepthQuoteOptions,
): ComputeGlftApproxQuotesReturnType {
  const raw = computeGlftApproxDepths(parameters)
  const { bidDepth, askDepth, flags } = applyDepthQuotePolicy(raw.bidDepthPrice, raw.askDepthPrice, options)
  return { ...raw, bidDepthPrice: bidDepth, askDepthPrice: askDepth, flags }
}

function computeGlftApproxDepths(
  parameters: ComputeGlftApproxQuotesParameters,
): Omit<ComputeGlftApproxQuotesReturnType, 'flags'> {
  assertGlftModelParameters(parameters)
  assertFinite('inventoryLots', parameters.inventoryLots)
  const { gammaPerPrice: gamma, sigmaPerSqrtSec: sigma, aPerSec: a, kPerPrice: k } = parameters
  const drift = parameters.driftPricePerSec ?? 0
  const impact = parameters.impactPricePerFill ?? 0
  const fee = parameters.makerFeePrice ?? 0
  const q = parameters.inventoryLots
  const y = gamma / k
  const log1pY = Math.log1p(y)
  const ratio = log1pY / y // y = γ/k > 0, so no 0/0
  const baseDepth = ratio / k + impact / 2 + fee
  // (1+γ/k)^{1+k/γ} = exp(ln(1+y) + ln(1+y)/y), y = γ/k.
  const cPricePerLot = sigma * Math.sqrt((gamma / (2 * k * a)) * Math.exp(log1pY + ratio))
  // Impact ξ: η·e^{−kξ/2} → C·e^{kξ/4}; maker fee φ: A·e^{−kφ} → C·e^{kφ/2}.
  const scaledC = Math.exp((k * impact) / 4 + (k * fee) / 2) * cPricePerLot
  const driftTerm = drift === 0 ? 0 : drift / (gamma * sigma * sigma)
  const bidDepthPrice = baseDepth + (-driftTerm + (2 * q + 1) / 2) * scaledC
  const askDepthPrice = baseDepth + (driftTerm - (2 * q - 1) / 2) * scaledC
  const spreadPrice = 2 * baseDepth + scaledC
  if (Number.isFinite(bidDepthPrice) && Number.isFinite(askDepthPrice) && Number.isFinite(spreadPrice))
    return { bidDepthPrice, askDepthPrice, spreadPrice, cPricePerLot }
  return computeGlftApproxQuotesExtreme(parameters)
}

/**
 * The same closed form when a plain evaluation over- or underflowed although the inputs are finite (A = 1e-320,
 * e^{kξ/4} beyond the range with a tiny C, q = 1e308): every product through logarithms, so a representable quote is
 * returned as such; otherwise an InvalidParameterError names the input that pushed it out of range.
 */
function computeGlftApproxQuotesExtreme(
  parameters: ComputeGlftApproxQuotesParameters,
): Omit<ComputeGlftApproxQuotesReturnType, 'flags'> {
  const { gammaPerPrice: gamma, sigmaPerSqrtSec: sigma, aPerSec: a, kPerPrice: k } = parameters
  const drift = parameters.driftPricePerSec ?? 0
  const impact = parameters.impactPricePerFill ?? 0
  const fee = parameters.makerFeePrice ?? 0
  const q = parameters.inventoryLots
  const y = gamma / k
  // ln(1+y) also when γ/k overflows: ln γ − ln k + ln(1 + k/γ).
  const log1pY = Number.isFinite(y) ? Math.log1p(y) : Math.log(gamma) - Math.log(k) + Math.log1p(k / gamma)
  const ratio = Number.isFinite(y) ? log1pY / y : Math.exp(Math.log(log1pY) - Math.log(gamma) + Math.log(k))
  const baseDepth = log1pY / gamma + impact / 2 + fee
  // C = σ·√(γ/(2kA))·e^{(ln(1+y) + ln(1+y)/y)/2}; the impact factor e^{kξ/4} joins the exponent.
  const cTerms: PowerTerm[] = [
    [sigma, 1],
    [gamma, 0.5],
    [k, -0.5],
    [a, -0.5],
    [2, -0.5],
  ]
  const cLog = 0.5 * (log1pY + ratio)
  const impactLog = (impact === 0 ? 0 : (k / 4) * impact) + (fee === 0 ? 0 : (k / 2) * fee)
  const cPricePerLot = productOfPowers(cTerms, cLog)
  const scaledC = sigma === 0 ? 0 : productOfPowers(cTerms, cLog + impactLog)
  // μ/(γσ²)·e^{kξ/4}·C, as one product (σ² in the denominator against σ in C).
  const driftScaled =
    drift === 0 ? 0 : productOfPowers([[drift, 1], [gamma, -1], [sigma, -2], ...cTerms], cLog + impactLog)
  const bidDepthPrice = baseDepth + (q + 0.5) * scaledC - driftScaled
  const askDepthPrice = baseDepth - (q - 0.5) * scaledC + driftScaled
  const spreadPrice = 2 * baseDepth + scaledC
  if (
    Number.isFinite(bidDepthPrice) &&
    Number.isFinite(askDepthPrice) &&
    Number.isFinite(spreadPrice) &&
    Number.isFinite(cPricePerLot)
  )
    return { bidDepthPrice, askDepthPrice, spreadPrice, cPricePerLot }
  const field = largestLogContribution({
    sigmaPerSqrtSec: [sigma, 1],
    gammaPerPrice: [gamma, 0.5],
    kPerPrice: [k, -0.5],
    aPerSec: [a, -0.5],
    impactPricePerFill: impactLog,
    inventoryLots: [Math.abs(q) + 0.5, 1],
    driftPricePerSec:
      drift === 0 ? Number.NEGATIVE_INFINITY : Math.log(Math.abs(drift)) - Math.log(gamma) - Math.log(sigma),
  }) as keyof ComputeGlftApproxQuotesParameters
  throw new InvalidParameterError({
    field,
    value: parameters[field],
    rule: `such that the quote is finite (got bid depth ${bidDepthPrice}, ask depth ${askDepthPrice})`,
    next: `check the units of ${field}: the closed form overflowed the double range.`,
  })
}
