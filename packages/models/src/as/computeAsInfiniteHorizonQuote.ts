import { InvalidParameterError } from '../errors/parameter.js'
import { logOnePlusRatioOver } from '../internal/productOfPowers.js'
import { createQuoteFlags } from '../quote/quoteFlags.js'
import { setAsQuoteFlags } from './applyAsCrossingPolicy.js'
import { assertAsQuoteOptions } from './assertAsQuoteOptions.js'
import { assertAsSideParameters } from './computeAsQuoteInto.js'
import { throwInvalidAsParameter } from './throwInvalidAsParameter.js'
import type { AsInventory, AsModelParameters, AsQuote, AsQuoteOptions } from './types.js'

export type AsInfiniteHorizonQuoteParameters = AsModelParameters &
  AsInventory & {
    /** s, the mid price, in price units. Must be > 0 and finite. */
    midPrice: number
    /** ω, discount rate of the infinite-horizon objective, per time unit (σ's time base). Must exceed ½γ²σ²·max(q², (q+1)²). */
    omegaPerTime: number
  }

export type AsInfiniteHorizonQuote = AsQuote & {
  /** r̄ᵃ, the reservation ask of AS §2.3, price units. */
  reservationAskPrice: number
  /** r̄ᵇ, the reservation bid of AS §2.3, price units. */
  reservationBidPrice: number
}

const FIELDS = ['midPrice', 'q', 'gammaPerPrice', 'sigmaPerSqrtTime', 'kPerPrice', 'omegaPerTime'] as const

/** What computeAsInfiniteHorizonQuote can throw. */
export type ComputeAsInfiniteHorizonQuoteErrorType =
  | import('../errors/parameter.js').InvalidParameterErrorType
  | import('../errors/parameter.js').QuoteCrossesMidErrorType
  | import('../errors/parameter.js').QuoteNonPositivePriceErrorType

/**
 * Infinite-horizon Avellaneda–Stoikov quote (preprint §2.3), formulas as printed:
 * - r̄ᵃ = s + (1/γ)·ln(1 + (1 − 2q)γ²σ² / (2ω − γ²q²σ²))
 * - r̄ᵇ = s + (1/γ)·ln(1 + (−1 − 2q)γ²σ² / (2ω − γ²q²σ²))
 * valid for ω > ½γ²σ²q²; the logarithms also need ω > ½γ²σ²(q + 1)² (else r̄ᵇ = −∞ or undefined).
 * Depths from the mid follow the paper's eqs. (3.6)–(3.7) with λ = A·e^(−kδ), which give the same ln term as the
 * finite horizon: δᵇ = (s − r̄ᵇ) + (1/γ)ln(1 + γ/k), δᵃ = (r̄ᵃ − s) + (1/γ)ln(1 + γ/k).
 * `reservationPrice` is the midpoint (r̄ᵃ + r̄ᵇ)/2. Crossing is reported and handled as in `computeAsQuote`.
 *
 * Note: the printed r̄ᵇ is exactly the indifference price of the paper's value function; the printed r̄ᵃ agrees with it
 * to first order in γ²σ²/(2ω − γ²q²σ²) only (see docs/models.md). We implement the paper as printed.
 *
 * @throws InvalidParameterError naming the first field out of its domain; `omegaPerTime` with the bound it must exceed.
 * @throws QuoteCrossesMidError when a side crosses the mid and `options.crossing` is `'throw'`.
 */
export function computeAsInfiniteHorizonQuote(
  parameters: AsInfiniteHorizonQuoteParameters,
  options?: AsQuoteOptions,
): AsInfiniteHorizonQuote {
  const q = parameters.inventoryLots ?? parameters.q
  const { midPrice: s, gammaPerPrice: gamma, sigmaPerSqrtTime: sigma, kPerPrice: k, omegaPerTime: omega } = parameters
  if (
    !(
      typeof s === 'number' &&
      typeof q === 'number' &&
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
      omega > 0 &&
      omega < Number.POSITIVE_INFINITY
    )
  )
    throwInvalidAsParameter(parameters, FIELDS)
  if (options !== undefined) assertAsQuoteOptions(options, s)

  const g2s2 = gamma * gamma * sigma * sigma
  const validityBound = 0.5 * g2s2 * q * q
  if (!(omega > validityBound))
    throw new InvalidParameterError({
      field: 'omegaPerTime',
      value: omega,
      rule: `> ½·γ²σ²q² = ${validityBound} (AS 2008 §2.3 validity condition)`,
      next: `pass omegaPerTime > ${validityBound}, e.g. computeAsNaturalOmega({ qMax }) with qMax > |q|.`,
    })
  const bidBound = 0.5 * g2s2 * (q + 1) * (q + 1)
  if (!(omega > bidBound))
    throw new InvalidParameterError({
      field: 'omegaPerTime',
      value: omega,
      rule: `> ½·γ²σ²(q + 1)² = ${bidBound} (else the reservation bid is −∞: the model says stop buying)`,
      next: `pass omegaPerTime > ${bidBound}, or stop quoting the bid at this inventory.`,
    })

  const denominator = 2 * omega - g2s2 * q * q
  const reservationAskPrice = s + Math.log1p(((1 - 2 * q) * g2s2) / denominator) / gamma
  const reservationBidPrice = s + Math.log1p(((-1 - 2 * q) * g2s2) / denominator) / gamma
  const c = logOnePlusRatioOver(gamma, k)
  const { kBidPerPrice: kBid, kAskPerPrice: kAsk, makerFeePrice: fee } = parameters
  if (kBid !== undefined || kAsk !== undefined || fee !== undefined) assertAsSideParameters(kBid, kAsk, fee)
  const cBid = kBid === undefined ? c : logOnePlusRatioOver(gamma, kBid)
  const cAsk = kAsk === undefined ? c : logOnePlusRatioOver(gamma, kAsk)
  const bidDepth = s - reservationBidPrice + cBid + (fee ?? 0)
  const askDepth = reservationAskPrice - s + cAsk + (fee ?? 0)
  const out: AsInfiniteHorizonQuote = {
    reservationPrice: 0.5 * (reservationAskPrice + reservationBidPrice),
    spreadPrice: bidDepth + askDepth,
    bidDepthPrice: bidDepth,
    askDepthPrice: askDepth,
    spread: bidDepth + askDepth,
    bidDepth,
    askDepth,
    bidPrice: s - bidDepth,
    askPrice: s + askDepth,
    bidCrossesMid: bidDepth < 0,
    askCrossesMid: askDepth < 0,
    reservationAskPrice,
    reservationBidPrice,
    flags: createQuoteFlags(),
  }
  setAsQuoteFlags(out, s, options)
  return out
}
