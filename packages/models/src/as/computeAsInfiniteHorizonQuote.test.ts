import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError, QuoteCrossesMidError } from '../errors/parameter.js'
import { computeAsInfiniteHorizonQuote } from './computeAsInfiniteHorizonQuote.js'
import { computeAsNaturalOmega } from './computeAsNaturalOmega.js'

// Fixed seed: the property runs are the same on every run (deterministic tests); change it to explore further.
const FC_PARAMETERS = { seed: 20080217, numRuns: 200 }

// γ = 0.1, σ = 2 → γ²σ² = 0.04. Natural ω for qMax = 5: ½ · 0.04 · 6² = 0.72 (per time unit).
// q = 1: 2ω − γ²q²σ² = 1.44 − 0.04 = 1.4
//   r̄ᵃ = 100 + 10 · ln(1 + (1 − 2)·0.04/1.4)  = 100 + 10 · ln(1 − 0.0285714…) = 100 − 0.289875…
//   r̄ᵇ = 100 + 10 · ln(1 + (−1 − 2)·0.04/1.4) = 100 + 10 · ln(1 − 0.0857142…) = 100 − 0.8961216…
//   c = 10 · ln(16/15) = 0.645385… ; δᵇ = (100 − r̄ᵇ) + c ; δᵃ = (r̄ᵃ − 100) + c
const base = { midPrice: 100, gammaPerPrice: 0.1, sigmaPerSqrtTime: 2, kPerPrice: 1.5, omegaPerTime: 0.72 }
const C = 10 * Math.log(16 / 15)

describe('computeAsNaturalOmega', () => {
  it('½γ²σ²(qMax + 1)² by hand', () => {
    expect(computeAsNaturalOmega({ gammaPerPrice: 0.1, sigmaPerSqrtTime: 2, qMax: 5 })).toBeCloseTo(0.72, 12)
    expect(computeAsNaturalOmega({ gammaPerPrice: 1, sigmaPerSqrtTime: 0.5, qMax: 0 })).toBeCloseTo(0.125, 12)
  })

  it.each([
    ['qMax', -1],
    ['qMax', Number.NaN],
    ['gammaPerPrice', 0],
    ['sigmaPerSqrtTime', -2],
  ] as const)('names a bad %s = %s', (field, value) => {
    let caught: unknown
    try {
      computeAsNaturalOmega({ gammaPerPrice: 0.1, sigmaPerSqrtTime: 2, qMax: 5, [field]: value })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
    expect(Object.is((caught as InvalidParameterError).value, value)).toBe(true)
  })
})

describe('computeAsInfiniteHorizonQuote', () => {
  it('q = 1 by hand', () => {
    const quote = computeAsInfiniteHorizonQuote({ ...base, q: 1 })
    const ra = 100 + 10 * Math.log(1 - 0.04 / 1.4)
    const rb = 100 + 10 * Math.log(1 - 0.12 / 1.4)
    expect(ra).toBeCloseTo(100 - 0.289875, 6)
    expect(rb).toBeCloseTo(100 - 0.8961216, 6)
    expect(quote.reservationAskPrice).toBeCloseTo(ra, 12)
    expect(quote.reservationBidPrice).toBeCloseTo(rb, 12)
    expect(quote.bidDepth).toBeCloseTo(100 - rb + C, 12)
    expect(quote.askDepth).toBeCloseTo(ra - 100 + C, 12)
    expect(quote.bidPrice).toBeCloseTo(rb - C, 12)
    expect(quote.askPrice).toBeCloseTo(ra + C, 12)
    expect(quote.reservationPrice).toBeCloseTo((ra + rb) / 2, 12)
  })

  it('q = 0: a symmetric quote around the mid only to first order (the printed formulas are not symmetric)', () => {
    const quote = computeAsInfiniteHorizonQuote({ ...base, q: 0 })
    // r̄ᵃ − s = 10 ln(1 + 0.04/1.44) = 0.27399 ; s − r̄ᵇ = −10 ln(1 − 0.04/1.44) = 0.28171
    expect(quote.askDepth - C).toBeCloseTo(10 * Math.log(1 + 0.04 / 1.44), 12)
    expect(quote.bidDepth - C).toBeCloseTo(-10 * Math.log(1 - 0.04 / 1.44), 12)
  })

  it('the printed r̄ᵇ is exactly the indifference price of v̄ = −e^(−γ(x+qs)) / (ω − ½γ²q²σ²)', () => {
    // v̄(x − r, s, q + 1) = v̄(x, s, q) ⇔ r = s + (1/γ)·ln((ω − ½γ²(q+1)²σ²)/(ω − ½γ²q²σ²)), independent of the code.
    for (const q of [-3, -1, 0, 1, 3]) {
      const denominator = (n: number) => 0.72 - 0.5 * 0.04 * n * n
      const exactBid = 100 + 10 * Math.log(denominator(q + 1) / denominator(q))
      expect(computeAsInfiniteHorizonQuote({ ...base, q }).reservationBidPrice).toBeCloseTo(exactBid, 12)
    }
  })

  it('σ = 0: both reservation prices are the mid and the depths are (1/γ)ln(1 + γ/k)', () => {
    const quote = computeAsInfiniteHorizonQuote({ ...base, sigmaPerSqrtTime: 0, q: 4 })
    expect(quote.reservationAskPrice).toBe(100)
    expect(quote.reservationBidPrice).toBe(100)
    expect(quote.bidDepth).toBeCloseTo(C, 12)
  })

  it('reports a crossing ask for a large long inventory and applies the policy', () => {
    // q = 4, ω = 0.72: den = 1.44 − 0.64 = 0.8 ; r̄ᵃ − s = 10 ln(1 − 7·0.04/0.8) = 10 ln(0.65) = −4.3078 ; δᵃ = −3.6624
    const reported = computeAsInfiniteHorizonQuote({ ...base, q: 4 })
    expect(reported.askDepth).toBeCloseTo(10 * Math.log(0.65) + C, 12)
    expect(reported.askCrossesMid).toBe(true)
    expect(computeAsInfiniteHorizonQuote({ ...base, q: 4 }, { crossing: 'drop' }).askPrice).toBeNull()
    expect(computeAsInfiniteHorizonQuote({ ...base, q: 4 }, { crossing: 'clip' }).askPrice).toBe(100)
    expect(() => computeAsInfiniteHorizonQuote({ ...base, q: 4 }, { crossing: 'throw' })).toThrow(QuoteCrossesMidError)
  })

  it('rejects ω ≤ ½γ²σ²q² naming omegaPerTime and the bound', () => {
    // q = −5: ½ · 0.04 · 25 = 0.5
    let caught: unknown
    try {
      computeAsInfiniteHorizonQuote({ ...base, q: -5, omegaPerTime: 0.4 })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe('omegaPerTime')
    expect((caught as InvalidParameterError).value).toBe(0.4)
    expect((caught as InvalidParameterError).rule).toContain('0.5')
    expect((caught as InvalidParameterError).rule).toContain('validity')
  })

  it('rejects ω ≤ ½γ²σ²(q + 1)² (reservation bid −∞), e.g. the natural ω at q = qMax', () => {
    let caught: unknown
    try {
      computeAsInfiniteHorizonQuote({ ...base, q: 5 })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe('omegaPerTime')
    expect((caught as InvalidParameterError).value).toBe(0.72)
    expect((caught as InvalidParameterError).rule).toContain('0.72')
    // The same ω is valid for q = −5 (bound max(0.5, ½·0.04·16 = 0.32) = 0.5) and q = 4 (bound 0.5).
    expect(() => computeAsInfiniteHorizonQuote({ ...base, q: -5 })).not.toThrow()
  })

  it.each([
    ['midPrice', -1],
    ['q', Number.NaN],
    ['gammaPerPrice', 0],
    ['sigmaPerSqrtTime', -0.1],
    ['kPerPrice', Number.NaN],
    ['omegaPerTime', 0],
    ['omegaPerTime', Number.POSITIVE_INFINITY],
  ] as const)('rejects %s = %s naming the field and value', (field, value) => {
    let caught: unknown
    try {
      computeAsInfiniteHorizonQuote({ ...base, q: 0, [field]: value })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
    expect(Object.is((caught as InvalidParameterError).value, value)).toBe(true)
  })

  it('properties: r̄ᵃ > r̄ᵇ, both decrease in q, the spread is positive (ω above the bound for every q tried)', () => {
    const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
    fc.assert(
      fc.property(
        finite(1e-3, 2),
        finite(1e-3, 5),
        finite(0.1, 10),
        fc.integer({ min: -20, max: 19 }),
        finite(1.01, 4),
        (gamma, sigma, k, q, omegaFactor) => {
          // ω above ½γ²σ²(|q| + 2)² covers q and q + 1.
          const omega =
            omegaFactor *
            computeAsNaturalOmega({ gammaPerPrice: gamma, sigmaPerSqrtTime: sigma, qMax: Math.abs(q) + 1 })
          const input = {
            midPrice: 1000,
            gammaPerPrice: gamma,
            sigmaPerSqrtTime: sigma,
            kPerPrice: k,
            omegaPerTime: omega,
          }
          const here = computeAsInfiniteHorizonQuote({ ...input, q })
          const next = computeAsInfiniteHorizonQuote({ ...input, q: q + 1 })
          expect(here.reservationAskPrice).toBeGreaterThan(here.reservationBidPrice)
          expect(here.spread).toBeGreaterThan(0)
          expect(next.reservationBidPrice).toBeLessThanOrEqual(here.reservationBidPrice)
          expect(next.reservationAskPrice).toBeLessThanOrEqual(here.reservationAskPrice)
        },
      ),
      FC_PARAMETERS,
    )
  })
})
