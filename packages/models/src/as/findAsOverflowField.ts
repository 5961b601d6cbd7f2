import { largestLogContribution, logOnePlusRatioOver, productOfPowers } from '../internal/productOfPowers.js'
import type { AsQuoteParameters } from './types.js'

/**
 * The AS input that pushed a quote (or its spread or reservation price) past the double range, although every input
 * is finite: the largest factor of the term that overflowed. The spread constant (1/γ)·ln(1+γ/k) can only overflow
 * through a tiny k; the variance term γσ²(T − t) through its largest factor; the skew q·γσ²(T − t) through its largest
 * factor, q included; a price s ∓ depth through s when s is the larger part.
 */
export function findAsOverflowField(parameters: Partial<AsQuoteParameters>): keyof AsQuoteParameters {
  const gamma = parameters.gammaPerPrice ?? 1
  const sigma = parameters.sigmaPerSqrtTime ?? 0
  const tau = parameters.timeToHorizon ?? 0
  const k = parameters.kPerPrice
  const q = parameters.q ?? 0
  const s = parameters.midPrice ?? 0
  const varianceTerms = { gammaPerPrice: [gamma, 1], sigmaPerSqrtTime: [sigma, 2], timeToHorizon: [tau, 1] } as const
  const c = k === undefined ? 0 : logOnePlusRatioOver(gamma, k)
  if (!Number.isFinite(c)) return 'kPerPrice'
  const v = productOfPowers(Object.values(varianceTerms))
  if (!Number.isFinite(v)) return largestLogContribution(varianceTerms) as keyof AsQuoteParameters
  const skew = Math.abs(q) * v
  if (!Number.isFinite(skew)) return largestLogContribution({ q: [q, 1], ...varianceTerms }) as keyof AsQuoteParameters
  // Every term is finite and a sum overflowed: blame the largest part.
  const halfSpread = c + v / 2
  if (s >= skew && s >= halfSpread) return 'midPrice'
  if (skew >= halfSpread) return largestLogContribution({ q: [q, 1], ...varianceTerms }) as keyof AsQuoteParameters
  return c > v ? 'kPerPrice' : (largestLogContribution(varianceTerms) as keyof AsQuoteParameters)
}
