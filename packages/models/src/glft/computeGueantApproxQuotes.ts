import { assertFinite } from '../internal/assert.js'
import { applyDepthQuotePolicy, type DepthQuoteOptions, type QuoteFlags } from '../quote/quoteFlags.js'
import {
  type ComputeGlftHalfSpreadAndSkewParameters,
  computeGlftHalfSpreadAndSkew,
  throwGlftOverflow,
} from './computeGlftHalfSpreadAndSkew.js'

export type ComputeGueantApproxQuotesParameters = ComputeGlftHalfSpreadAndSkewParameters & {
  /** q, current inventory, base units (same unit as `orderSizeBase`); any real value. */
  inventoryBase: number
}

export type ComputeGueantApproxQuotesReturnType = {
  /** δᵇ, distance of the bid below the mid, price units (negative means the bid is above the mid). */
  bidDepthPrice: number
  /** δᵃ, distance of the ask above the mid, price units. */
  askDepthPrice: number
  /** Crossing / non-positive price flags and the quoted sides after `options.crossing` ({@link QuoteFlags}). */
  flags: QuoteFlags
}

export type ComputeGueantApproxQuotesErrorType =
  | import('../errors/parameter.js').InvalidParameterErrorType
  | import('../errors/parameter.js').QuoteCrossesMidErrorType
  | import('../errors/parameter.js').QuoteNonPositivePriceErrorType

/**
 * Closed-form approximation of the optimal quotes in Guéant 2017's general form (eqs. 4.6/4.7 as quoted by hftbacktest):
 * δᵇ(q) = (1/(ξΔ))·ln(1+ξΔ/k) + (2q+Δ)/2 · √( γσ²/(2AΔk) · (1+ξΔ/k)^{k/(ξΔ)+1} ),
 * δᵃ(q) = (1/(ξΔ))·ln(1+ξΔ/k) − (2q−Δ)/2 · √( same ).
 * ξ = γ and Δ = 1 give GLFT 2013 (see {@link computeGlftApproxQuotes}). ξ = 0 gives 1/k ± …·√(eγσ²/(2AΔk)); that this
 * limit is Guéant's risk-neutral "model B" is unverified.
 *
 * Crossing and non-positive prices: flagged in `flags` and handled by `options.crossing` as in
 * {@link computeGlftApproxQuotes} (the policy shared by every model).
 *
 * @throws InvalidParameterError for an input out of its domain, or naming the input that makes a depth overflow
 *   (`inventoryBase` for q = 1e308 with a skew above 1).
 * @throws QuoteCrossesMidError | QuoteNonPositivePriceError with `options.crossing: 'throw'`.
 */
export function computeGueantApproxQuotes(
  parameters: ComputeGueantApproxQuotesParameters,
  options?: DepthQuoteOptions,
): ComputeGueantApproxQuotesReturnType {
  const { halfSpreadPrice, skewPricePerBase } = computeGlftHalfSpreadAndSkew(parameters)
  assertFinite('inventoryBase', parameters.inventoryBase)
  const shift = skewPricePerBase * parameters.inventoryBase
  const bidDepthPrice = halfSpreadPrice + shift
  const askDepthPrice = halfSpreadPrice - shift
  if (!(Number.isFinite(bidDepthPrice) && Number.isFinite(askDepthPrice)))
    throwGlftOverflow(
      parameters,
      'quote',
      { bidDepthPrice, askDepthPrice },
      { inventoryBase: [parameters.inventoryBase, 1] },
    )
  const handled = applyDepthQuotePolicy(bidDepthPrice, askDepthPrice, options)
  return { bidDepthPrice: handled.bidDepth, askDepthPrice: handled.askDepth, flags: handled.flags }
}
