import { describe, expect, it } from 'vitest'
import { computeAsQuote } from '../as/computeAsQuote.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeGlftApproxQuotes } from '../glft/computeGlftApproxQuotes.js'

/**
 * Hand-derived from AS 2008 (preprint eqs. (3.6)/(3.7)): with λᵇ = Aᵇe^{−kᵇδ} and
 * λᵃ = Aᵃe^{−kᵃδ}, s − rᵇ = δᵇ − (1/γ)ln(1 + γ/kᵇ) and rᵃ − s = δᵃ − (1/γ)ln(1 + γ/kᵃ), so
 *   δᵇ = (1/γ)ln(1 + γ/kᵇ) + (1 + 2q)/2·γσ²τ,  δᵃ = (1/γ)ln(1 + γ/kᵃ) + (1 − 2q)/2·γσ²τ
 * (A cancels; hftbacktest #21: asymmetric k gives an asymmetric spread at q = 0). A maker fee φ (price units per unit
 * filled, negative for a rebate) makes a fill at depth δ worth δ − φ: the first-order condition holds for δ − φ, and
 * λ(δ) = A e^{−kφ}·e^{−k(δ−φ)} only rescales A, so every depth shifts by +φ (AS: A cancels; GLFT: A → A e^{−kφ} in
 * C = σ√(γ/(2kA)·(1+γ/k)^{1+k/γ}), i.e. C → C·e^{kφ/2}).
 */
describe('AS with per-side intensity decay and a maker fee', () => {
  // γ = 1, σ = 1, τ = 1 (v = 1), kᵇ = 1 (ln 2), kᵃ = 1/3 (ln 4).
  const base = { gammaPerPrice: 1, sigmaPerSqrtTime: 1, timeToHorizon: 1, midPrice: 100, kPerPrice: 1 }

  it('kᵇ = 1, kᵃ = 1/3, q = 0: δᵇ = ln 2 + ½, δᵃ = ln 4 + ½ (asymmetric spread at q = 0)', () => {
    const quote = computeAsQuote({ ...base, q: 0, kBidPerPrice: 1, kAskPerPrice: 1 / 3 })
    expect(quote.bidDepth).toBeCloseTo(Math.log(2) + 0.5, 12)
    expect(quote.askDepth).toBeCloseTo(Math.log(4) + 0.5, 12)
    expect(quote.spread).toBeCloseTo(Math.log(8) + 1, 12)
    expect(quote.bidPrice).toBeCloseTo(100 - Math.log(2) - 0.5, 12)
    // The reservation (indifference) price does not depend on k: r = s − q·v.
    expect(quote.reservationPrice).toBe(100)
  })

  it('per-side values default to kPerPrice (same result as before)', () => {
    const both = computeAsQuote({ ...base, q: 0.3, kBidPerPrice: 1, kAskPerPrice: 1 })
    expect(both).toEqual(computeAsQuote({ ...base, q: 0.3 }))
  })

  it('maker fee φ = 0.25 shifts both depths by +0.25; a rebate φ = −0.25 by −0.25', () => {
    const plain = computeAsQuote({ ...base, q: 0.5 })
    // q = ½: δᵇ = ln 2 + 1, δᵃ = ln 2.
    expect(plain.bidDepth).toBeCloseTo(Math.log(2) + 1, 12)
    const fee = computeAsQuote({ ...base, q: 0.5, makerFeePrice: 0.25 })
    expect(fee.bidDepth).toBeCloseTo(Math.log(2) + 1.25, 12)
    expect(fee.askDepth).toBeCloseTo(Math.log(2) + 0.25, 12)
    const rebate = computeAsQuote({ ...base, q: 0.5, makerFeePrice: -0.25 })
    expect(rebate.askDepth).toBeCloseTo(Math.log(2) - 0.25, 12)
  })

  it('rejects a non-positive per-side k and a non-finite fee', () => {
    expect(() => computeAsQuote({ ...base, q: 0, kBidPerPrice: 0 })).toThrow(InvalidParameterError)
    expect(() => computeAsQuote({ ...base, q: 0, makerFeePrice: Number.NaN })).toThrow(InvalidParameterError)
  })
})

describe('GLFT closed form with a maker fee: δ = φ + ln(1+γ/k)/γ + (2q+1)/2·C·e^{kφ/2}', () => {
  // γ = k = σ = 1, A = 2: C = 1, base depth ln 2. φ = ln 4: C·e^{kφ/2} = e^{ln 2} = 2.
  const base = { gammaPerPrice: 1, kPerPrice: 1, sigmaPerSqrtSec: 1, aPerSec: 2 }

  it('φ = ln 4, q = 0: δᵇ = ln 4 + ln 2 + 1, δᵃ = ln 4 + ln 2 + 1, spread = 2 ln 8 + 2', () => {
    const quote = computeGlftApproxQuotes({ ...base, inventoryLots: 0, makerFeePrice: Math.log(4) })
    expect(quote.bidDepthPrice).toBeCloseTo(Math.log(8) + 1, 12)
    expect(quote.askDepthPrice).toBeCloseTo(Math.log(8) + 1, 12)
    expect(quote.spreadPrice).toBeCloseTo(2 * Math.log(8) + 2, 12)
  })

  it('φ = ln 4, q = 1: δᵇ = ln 8 + 3, δᵃ = ln 8 − 1', () => {
    const quote = computeGlftApproxQuotes({ ...base, inventoryLots: 1, makerFeePrice: Math.log(4) })
    expect(quote.bidDepthPrice).toBeCloseTo(Math.log(8) + 3, 12)
    expect(quote.askDepthPrice).toBeCloseTo(Math.log(8) - 1, 12)
  })
})

describe('the exact GLFT solution does not take the maker fee silently', () => {
  it('throws InvalidParameterError naming makerFeePrice', async () => {
    const { solveGlftExact } = await import('../glft/solveGlftExact.js')
    expect(() =>
      solveGlftExact({
        gammaPerPrice: 1,
        kPerPrice: 1,
        sigmaPerSqrtSec: 1,
        aPerSec: 2,
        maxInventoryLots: 2,
        makerFeePrice: 0.1,
      }),
    ).toThrow(/makerFeePrice/)
  })
})
