import { describe, expect, it } from 'vitest'
import { computeAsInfiniteHorizonQuote } from '../as/computeAsInfiniteHorizonQuote.js'
import { computeAsQuote } from '../as/computeAsQuote.js'
import { QuoteCrossesMidError, QuoteNonPositivePriceError } from '../errors/parameter.js'
import { computeGlftApproxQuotes } from '../glft/computeGlftApproxQuotes.js'
import { computeGueantApproxQuotes } from '../glft/computeGueantApproxQuotes.js'

const LN2 = Math.log(2)

/**
 * Every model reports the same flags (`flags: QuoteFlags`) and takes the same policy (`{ crossing }`). The parameters
 * below are derived by hand from each model's formulas so that a chosen side crosses the mid (negative depth) or has a
 * non-positive price (mid − δᵇ ≤ 0 with a positive depth).
 */
describe('AS finite horizon: δᵇ = c + (1+2q)/2·v, δᵃ = c + (1−2q)/2·v, c = ln(1+γ/k)/γ, v = γσ²τ', () => {
  // γ = k = σ = τ = 1: c = ln 2 ≈ 0.693, v = 1.
  const base = { gammaPerPrice: 1, kPerPrice: 1, sigmaPerSqrtTime: 1, timeToHorizon: 1 }

  it('q = −2: δᵇ = ln 2 − 1.5 < 0, the bid crosses; q = +2: the ask crosses', () => {
    const bid = computeAsQuote({ ...base, midPrice: 100, q: -2 })
    expect(bid.bidDepth).toBeCloseTo(LN2 - 1.5, 12)
    expect(bid.flags).toEqual({
      bidCrossesMid: true,
      askCrossesMid: false,
      bidPriceNonPositive: false,
      askPriceNonPositive: false,
      bidQuoted: true,
      askQuoted: true,
    })
    const ask = computeAsQuote({ ...base, midPrice: 100, q: 2 }, { crossing: 'drop' })
    expect(ask.flags).toMatchObject({ askCrossesMid: true, bidCrossesMid: false, askQuoted: false, bidQuoted: true })
    expect(ask.askPrice).toBeNull()
  })

  it('mid 1, q = 0: δᵇ = ln 2 + 0.5 ≈ 1.193 > 0 but bid = 1 − 1.193 < 0: a non-positive price, flagged', () => {
    const quote = computeAsQuote({ ...base, midPrice: 1, q: 0 })
    expect(quote.bidPrice).toBeCloseTo(1 - LN2 - 0.5, 12)
    expect(quote.flags).toMatchObject({ bidCrossesMid: false, bidPriceNonPositive: true, askPriceNonPositive: false })
    expect(quote.flags.bidQuoted).toBe(true) // 'report': as computed
    for (const crossing of ['clip', 'drop'] as const) {
      const handled = computeAsQuote({ ...base, midPrice: 1, q: 0 }, { crossing })
      expect(handled.bidPrice).toBeNull()
      expect(handled.flags).toMatchObject({ bidPriceNonPositive: true, bidQuoted: false, askQuoted: true })
    }
    expect(() => computeAsQuote({ ...base, midPrice: 1, q: 0 }, { crossing: 'throw' })).toThrow(
      QuoteNonPositivePriceError,
    )
  })
})

describe('AS infinite horizon: δᵇ = (s − r̄ᵇ) + c, r̄ᵇ = s + ln(1 + (−1−2q)γ²σ²/(2ω − γ²σ²q²))/γ', () => {
  const base = { gammaPerPrice: 1, kPerPrice: 1, sigmaPerSqrtTime: 1 }

  it('q = −2, ω = 3: r̄ᵇ − s = ln(1 + 3/2) ≈ 0.916 > c = ln 2: the bid crosses', () => {
    const quote = computeAsInfiniteHorizonQuote({ ...base, midPrice: 100, q: -2, omegaPerTime: 3 })
    expect(quote.bidDepth).toBeCloseTo(LN2 - Math.log(2.5), 12)
    expect(quote.flags).toMatchObject({ bidCrossesMid: true, askCrossesMid: false, bidPriceNonPositive: false })
  })

  it('q = 0, ω = 1, mid 1: δᵇ = −ln(1/2) + ln 2 = 2 ln 2 > 1: bid price ≤ 0, flagged and dropped by "drop"', () => {
    const quote = computeAsInfiniteHorizonQuote({ ...base, midPrice: 1, q: 0, omegaPerTime: 1 })
    expect(quote.bidDepth).toBeCloseTo(2 * LN2, 12)
    expect(quote.flags).toMatchObject({ bidCrossesMid: false, bidPriceNonPositive: true, bidQuoted: true })
    const dropped = computeAsInfiniteHorizonQuote({ ...base, midPrice: 1, q: 0, omegaPerTime: 1 }, { crossing: 'drop' })
    expect(dropped.bidPrice).toBeNull()
    expect(dropped.flags.bidQuoted).toBe(false)
  })
})

describe('GLFT closed form: δᵇ = ln(1+γ/k)/γ + (2q+1)/2·C, C = σ√(γ/(2kA)·(1+γ/k)^{1+k/γ})', () => {
  // γ = k = σ = 1, A = 2: C = √(1/4 · 2²) = 1, base depth ln 2.
  const base = { gammaPerPrice: 1, kPerPrice: 1, sigmaPerSqrtSec: 1, aPerSec: 2 }

  it('q = −2: δᵇ = ln 2 − 1.5 < 0: flagged (was silent); q = +2: the ask crosses', () => {
    const bid = computeGlftApproxQuotes({ ...base, inventoryLots: -2 })
    expect(bid.bidDepthPrice).toBeCloseTo(LN2 - 1.5, 12)
    expect(bid.flags).toEqual({
      bidCrossesMid: true,
      askCrossesMid: false,
      bidPriceNonPositive: false,
      askPriceNonPositive: false,
      bidQuoted: true,
      askQuoted: true,
    })
    const ask = computeGlftApproxQuotes({ ...base, inventoryLots: 2 })
    expect(ask.askDepthPrice).toBeCloseTo(LN2 - 1.5, 12)
    expect(ask.flags).toMatchObject({ askCrossesMid: true, bidCrossesMid: false })
  })

  it('the same policy: clip puts the crossing side at the mid (depth 0), drop unquotes it, throw throws', () => {
    const clipped = computeGlftApproxQuotes({ ...base, inventoryLots: -2 }, { crossing: 'clip' })
    expect(clipped.bidDepthPrice).toBe(0)
    expect(clipped.flags).toMatchObject({ bidCrossesMid: true, bidQuoted: true })
    const dropped = computeGlftApproxQuotes({ ...base, inventoryLots: -2 }, { crossing: 'drop' })
    expect(dropped.bidDepthPrice).toBeCloseTo(LN2 - 1.5, 12)
    expect(dropped.flags).toMatchObject({ bidCrossesMid: true, bidQuoted: false, askQuoted: true })
    expect(() => computeGlftApproxQuotes({ ...base, inventoryLots: -2 }, { crossing: 'throw' })).toThrow(
      QuoteCrossesMidError,
    )
  })

  it('with a mid of 1 and q = 0: δᵇ = ln 2 + 0.5 > 1, bid price ≤ 0: flagged', () => {
    const quote = computeGlftApproxQuotes({ ...base, inventoryLots: 0 }, { midPrice: 1 })
    expect(quote.flags).toMatchObject({ bidCrossesMid: false, bidPriceNonPositive: true, askPriceNonPositive: false })
    expect(() => computeGlftApproxQuotes({ ...base, inventoryLots: 0 }, { midPrice: 1, crossing: 'throw' })).toThrow(
      QuoteNonPositivePriceError,
    )
  })
})

describe("Guéant closed form (hftbacktest's): δᵇ = c1 + Δ/2·σc2 + σc2·q, δᵃ = c1 + Δ/2·σc2 − σc2·q", () => {
  // ξ = γ = k = σ = Δ = 1, A = 2: c1 = ln 2, σc2 = √(γσ²/(2AΔk)·(1+ξΔ/k)^{k/(ξΔ)+1}) = √(1/4 · 4) = 1.
  const base = { gammaPerPrice: 1, kPerPrice: 1, sigmaPerSqrtSec: 1, aPerSec: 2, orderSizeBase: 1, xiPerPrice: 1 }

  it('q = −2 base units: δᵇ = ln 2 + 0.5 − 2 < 0, flagged; q = +2: the ask crosses', () => {
    const bid = computeGueantApproxQuotes({ ...base, inventoryBase: -2 })
    expect(bid.bidDepthPrice).toBeCloseTo(LN2 - 1.5, 12)
    expect(bid.flags).toMatchObject({ bidCrossesMid: true, askCrossesMid: false, bidQuoted: true })
    const ask = computeGueantApproxQuotes({ ...base, inventoryBase: 2 }, { crossing: 'drop' })
    expect(ask.flags).toMatchObject({ askCrossesMid: true, askQuoted: false, bidQuoted: true })
  })

  it('with a mid of 1 and q = 0: bid price 1 − (ln 2 + 0.5) ≤ 0, flagged', () => {
    const quote = computeGueantApproxQuotes({ ...base, inventoryBase: 0 }, { midPrice: 1 })
    expect(quote.flags).toMatchObject({ bidPriceNonPositive: true, askPriceNonPositive: false })
  })
})

describe('GLFT exact solution: every table entry carries the same flags', () => {
  it('flags follow the sign of each depth; the unquoted bound sides are bidQuoted/askQuoted false', async () => {
    const { solveGlftExact } = await import('../glft/solveGlftExact.js')
    // γ = k = σ = 1, A = 2: the closed form crosses for |q| ≥ 2 (above); the exact table, near it, crosses too.
    const solution = solveGlftExact({
      gammaPerPrice: 1,
      kPerPrice: 1,
      sigmaPerSqrtSec: 1,
      aPerSec: 2,
      maxInventoryLots: 5,
    })
    let crossings = 0
    for (const table of [solution.getAsymptoticQuoteTable(), solution.getQuoteTable(10)]) {
      for (const quote of table.quotes) {
        expect(quote.flags.bidCrossesMid).toBe(quote.bidDepthPrice !== null && quote.bidDepthPrice < 0)
        expect(quote.flags.askCrossesMid).toBe(quote.askDepthPrice !== null && quote.askDepthPrice < 0)
        expect(quote.flags.bidQuoted).toBe(quote.bidDepthPrice !== null)
        expect(quote.flags.askQuoted).toBe(quote.askDepthPrice !== null)
        if (quote.flags.bidCrossesMid || quote.flags.askCrossesMid) crossings++
      }
      expect(table.quotes[0]!.flags.askQuoted).toBe(false) // q = −Q: no ask
      expect(table.quotes[10]!.flags.bidQuoted).toBe(false) // q = +Q: no bid
    }
    expect(crossings).toBeGreaterThan(0)
  })
})
