import { InvalidParameterError } from '../errors/parameter.js'
import { logOnePlusRatioOver, productOfPowers } from '../internal/productOfPowers.js'
import { setAsQuoteFlags } from './applyAsCrossingPolicy.js'
import { assertAsQuoteOptions } from './assertAsQuoteOptions.js'
import { throwAsQuoteOverflow } from './throwAsQuoteOverflow.js'
import { throwInvalidAsParameter } from './throwInvalidAsParameter.js'
import type { AsQuote, AsQuoteOptions, AsQuoteParameters } from './types.js'

const FIELDS = ['midPrice', 'q', 'gammaPerPrice', 'sigmaPerSqrtTime', 'kPerPrice', 'timeToHorizon'] as const

// Memo of c = (1/γ)·ln(1 + γ/k) for the last (γ, k): in a quoting loop γ and k rarely change, and the logarithm is
// the costliest operation of a quote. Not observable: the same inputs always give the same c.
let memoGamma = Number.NaN
let memoK = Number.NaN
let memoC = Number.NaN

/** Checks the optional per-side decays and the maker fee (slow path, only when one is given). */
export function assertAsSideParameters(
  kBid: number | undefined,
  kAsk: number | undefined,
  fee: number | undefined,
): void {
  for (const [field, value] of [
    ['kBidPerPrice', kBid],
    ['kAskPerPrice', kAsk],
  ] as const) {
    if (value !== undefined && !(typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY))
      throw new InvalidParameterError({ field, value, rule: '> 0 and finite' })
  }
  if (fee !== undefined && !(typeof fee === 'number' && Number.isFinite(fee)))
    throw new InvalidParameterError({
      field: 'makerFeePrice',
      value: fee,
      rule: 'a finite number (negative: a rebate)',
    })
}

/** What computeAsQuoteInto can throw. */
export type ComputeAsQuoteIntoErrorType =
  | import('../errors/parameter.js').InvalidParameterErrorType
  | import('../errors/parameter.js').QuoteCrossesMidErrorType
  | import('../errors/parameter.js').QuoteNonPositivePriceErrorType

/**
 * Finite-horizon Avellaneda–Stoikov quote (AS 2008 eqs. (29)–(30)), written into `out` (no allocation: the hot path).
 *
 * With c = (1/γ)·ln(1 + γ/k) and v = γσ²(T−t):
 * - reservation price r = s − q·v
 * - spread δᵃ + δᵇ = v + 2c (independent of q)
 * - depths from the mid: δᵇ = c + (1 + 2q)/2 · v, δᵃ = c + (1 − 2q)/2 · v
 * - bid = s − δᵇ = r − spread/2, ask = s + δᵃ = r + spread/2
 * - per-side decay (`kBidPerPrice`, `kAskPerPrice`): c becomes cᵇ = (1/γ)ln(1 + γ/kᵇ) in δᵇ and cᵃ in δᵃ (the spread is
 *   then asymmetric around r); a maker fee φ (`makerFeePrice`, negative = rebate) adds φ to both depths.
 *
 * A negative depth (|q|·v > spread/2) is reported in `bidCrossesMid` / `askCrossesMid`, a price ≤ 0 (a depth beyond
 * the mid) in `flags.bidPriceNonPositive` / `askPriceNonPositive`; both are handled by `options.crossing` (default
 * `'report'`: prices as computed; see `AsCrossingPolicy`). Units: see `AsQuoteParameters`.
 *
 * @throws InvalidParameterError naming the first field out of its domain (or a bad option).
 * @throws QuoteCrossesMidError when a side crosses the mid and `options.crossing` is `'throw'`.
 */
export function computeAsQuoteInto(out: AsQuote, parameters: AsQuoteParameters, options?: AsQuoteOptions): AsQuote {
  const s = parameters.midPrice
  const q = parameters.inventoryLots ?? parameters.q
  const gamma = parameters.gammaPerPrice
  const sigma = parameters.sigmaPerSqrtTime
  const k = parameters.kPerPrice
  const tau = parameters.timeToHorizon
  // One combined domain check (also false for NaN, ±Infinity and non-numbers); the slow path names the bad field.
  if (
    !(
      typeof s === 'number' &&
      typeof q === 'number' &&
      typeof gamma === 'number' &&
      typeof sigma === 'number' &&
      typeof k === 'number' &&
      typeof tau === 'number' &&
      s > 0 &&
      s < Number.POSITIVE_INFINITY &&
      q > Number.NEGATIVE_INFINITY &&
      q < Number.POSITIVE_INFINITY &&
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
  if (options !== undefined) assertAsQuoteOptions(options, s)

  if (gamma !== memoGamma || k !== memoK) {
    memoC = logOnePlusRatioOver(gamma, k)
    memoGamma = gamma
    memoK = k
  }
  const c = memoC
  const kBid = parameters.kBidPerPrice
  const kAsk = parameters.kAskPerPrice
  const fee = parameters.makerFeePrice
  if (kBid !== undefined || kAsk !== undefined || fee !== undefined) assertAsSideParameters(kBid, kAsk, fee)
  const cBid = kBid === undefined || kBid === k ? c : logOnePlusRatioOver(gamma, kBid)
  const cAsk = kAsk === undefined || kAsk === k ? c : logOnePlusRatioOver(gamma, kAsk)
  const feeShift = fee ?? 0
  let v = gamma * sigma * sigma * tau
  // σ·σ can overflow although γσ²(T − t) is in range (σ = 1e200, γ = 1e-300): redo the product through logarithms.
  if (!(v - v === 0))
    v = productOfPowers([
      [gamma, 1],
      [sigma, 2],
      [tau, 1],
    ])
  const skew = q * v
  const bidDepth = cBid + 0.5 * v + skew + feeShift
  const askDepth = cAsk + 0.5 * v - skew + feeShift
  const bidPrice = s - bidDepth
  const askPrice = s + askDepth
  // Finite inputs can still overflow (q = 1e300, σ = 1e200): never hand out an infinite price; the error names the input
  // that overflowed. x − x is NaN for ±Infinity.
  if (!(bidPrice - bidPrice === 0 && askPrice - askPrice === 0))
    throwAsQuoteOverflow(parameters, 'quote', [bidPrice, askPrice])
  out.reservationPrice = s - skew
  const spread = bidDepth + askDepth
  out.spreadPrice = spread
  out.bidDepthPrice = bidDepth
  out.askDepthPrice = askDepth
  out.spread = spread
  out.bidDepth = bidDepth
  out.askDepth = askDepth
  out.bidPrice = bidPrice
  out.askPrice = askPrice
  out.bidCrossesMid = bidDepth < 0
  out.askCrossesMid = askDepth < 0
  setAsQuoteFlags(out, s, options)
  return out
}
