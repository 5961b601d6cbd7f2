import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError, QuoteCrossesMidError, QuoteNonPositivePriceError } from '../errors/parameter.js'
import { computeAsQuote } from './computeAsQuote.js'
import { computeAsQuoteInto } from './computeAsQuoteInto.js'
import { createAsQuote } from './createAsQuote.js'
import type { AsCrossingPolicy, AsQuoteParameters } from './types.js'

// Fixed seed: the property runs are the same on every run (deterministic tests); change it to explore further.
const FC_PARAMETERS = { seed: 20080217, numRuns: 200 }

// Hand computation for s = 100, γ = 0.1, σ = 2, k = 1.5, T − t = 1:
//   c = (1/γ)·ln(1 + γ/k) = 10 · ln(16/15) = 0.645385211 ; v = γσ²(T − t) = 0.4 ; spread = 2c + v = 1.690770423
//   q = 2: r = 100 − 0.8 = 99.2 ; δᵇ = c + (1 + 4)/2 · 0.4 = 1.645385211 ; δᵃ = c + (1 − 4)/2 · 0.4 = 0.045385211
//          bid = 98.354614789 ; ask = 100.045385211
//   q = 3: δᵃ = c + (1 − 6)/2 · 0.4 = 0.645385211 − 1.0 = −0.354614789 (the ask crosses the mid: 99.645385211)
//          δᵇ = c + 7/2 · 0.4 = 2.045385211 ; |q|·v = 1.2 > spread/2 = 0.845385211
const C = 10 * Math.log(16 / 15)
const paper: AsQuoteParameters = {
  midPrice: 100,
  q: 2,
  gammaPerPrice: 0.1,
  sigmaPerSqrtTime: 2,
  kPerPrice: 1.5,
  timeToHorizon: 1,
}

describe('computeAsQuote: formulas', () => {
  it('q = 2 by hand', () => {
    const quote = computeAsQuote(paper)
    expect(C).toBeCloseTo(0.645385211, 9)
    expect(quote.reservationPrice).toBeCloseTo(99.2, 12)
    expect(quote.spread).toBeCloseTo(1.690770423, 9)
    expect(quote.bidDepth).toBeCloseTo(1.645385211, 9)
    expect(quote.askDepth).toBeCloseTo(0.045385211, 9)
    expect(quote.bidPrice).toBeCloseTo(98.354614789, 9)
    expect(quote.askPrice).toBeCloseTo(100.045385211, 9)
    expect(quote.bidCrossesMid).toBe(false)
    expect(quote.askCrossesMid).toBe(false)
  })

  it('q = 0 at T − t = 0: both depths are (1/γ)ln(1 + γ/k) around the mid', () => {
    const quote = computeAsQuote({ ...paper, q: 0, timeToHorizon: 0 })
    expect(quote.bidDepth).toBeCloseTo(C, 12)
    expect(quote.askDepth).toBeCloseTo(C, 12)
    expect(quote.reservationPrice).toBe(100)
  })

  it('q = 3: the ask crosses the mid and is reported, not clipped (default policy)', () => {
    const quote = computeAsQuote({ ...paper, q: 3 })
    expect(quote.askDepth).toBeCloseTo(-0.354614789, 9)
    expect(quote.askPrice).toBeCloseTo(99.645385211, 9)
    expect(quote.askCrossesMid).toBe(true)
    expect(quote.bidCrossesMid).toBe(false)
    expect(quote.bidDepth).toBeCloseTo(2.045385211, 9)
  })

  it("q = 3 with 'clip': the ask goes to the mid, or to the given best ask; the flag stays", () => {
    const toMid = computeAsQuote({ ...paper, q: 3 }, { crossing: 'clip' })
    expect(toMid.askPrice).toBe(100)
    expect(toMid.askCrossesMid).toBe(true)
    expect(toMid.askDepth).toBeCloseTo(-0.354614789, 9)
    expect(toMid.bidPrice).toBeCloseTo(100 - 2.045385211, 9)
    const toBbo = computeAsQuote({ ...paper, q: 3 }, { crossing: 'clip', bestBidPrice: 99.95, bestAskPrice: 100.05 })
    expect(toBbo.askPrice).toBe(100.05)
    expect(toBbo.bidPrice).toBeCloseTo(100 - 2.045385211, 9)
  })

  it("q = −3 with 'clip' and a best bid: the bid goes to the best bid", () => {
    const quote = computeAsQuote({ ...paper, q: -3 }, { crossing: 'clip', bestBidPrice: 99.95 })
    expect(quote.bidCrossesMid).toBe(true)
    expect(quote.bidPrice).toBe(99.95)
    expect(quote.askPrice).toBeCloseTo(102.045385211, 9)
  })

  it("q = 3 with 'drop': the ask is omitted (null), the bid is kept", () => {
    const quote = computeAsQuote({ ...paper, q: 3 }, { crossing: 'drop' })
    expect(quote.askPrice).toBeNull()
    expect(quote.askCrossesMid).toBe(true)
    expect(quote.bidPrice).toBeCloseTo(97.954614789, 9)
  })

  it("q = 3 with 'throw': QuoteCrossesMidError naming the side and depth", () => {
    let caught: unknown
    try {
      computeAsQuote({ ...paper, q: 3 }, { crossing: 'throw' })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(QuoteCrossesMidError)
    expect((caught as QuoteCrossesMidError).side).toBe('ask')
    expect((caught as QuoteCrossesMidError).depth).toBeCloseTo(-0.354614789, 9)
    expect((caught as QuoteCrossesMidError).code).toBe('QUOTE_CROSSES_MID')
  })

  it('computeAsQuoteInto writes into and returns the given object, equal to computeAsQuote', () => {
    const out = createAsQuote()
    const returned = computeAsQuoteInto(out, { ...paper, q: -1.5 })
    expect(returned).toBe(out)
    expect(out).toEqual(computeAsQuote({ ...paper, q: -1.5 }))
  })
})

describe('computeAsQuote: validation', () => {
  it.each([
    ['midPrice', 0],
    ['midPrice', -100],
    ['midPrice', Number.NaN],
    ['midPrice', Number.POSITIVE_INFINITY],
    ['q', Number.NaN],
    ['q', Number.POSITIVE_INFINITY],
    ['gammaPerPrice', 0],
    ['gammaPerPrice', -0.1],
    ['gammaPerPrice', Number.NaN],
    ['sigmaPerSqrtTime', -2],
    ['sigmaPerSqrtTime', Number.NaN],
    ['kPerPrice', 0],
    ['kPerPrice', -1.5],
    ['timeToHorizon', -1],
    ['timeToHorizon', Number.NaN],
    ['midPrice', '100'],
    ['gammaPerPrice', '0.1'],
  ] as const)('rejects %s = %s with InvalidParameterError naming it', (field, value) => {
    let caught: unknown
    try {
      computeAsQuote({ ...paper, [field]: value } as unknown as AsQuoteParameters)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
    expect(Object.is((caught as InvalidParameterError).value, value)).toBe(true)
    expect((caught as InvalidParameterError).message).toContain(field)
  })

  it('rejects an overflowing quote (finite inputs, infinite skew) naming q', () => {
    // q·γσ²(T − t) = 1e307 · 0.1 · 4 · 1e3 = 4e309 > Number.MAX_VALUE
    expect(() => computeAsQuote({ ...paper, q: 1e307, timeToHorizon: 1e3 })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterError', field: 'q', value: 1e307 }),
    )
  })

  it.each([
    ['options.crossing', { crossing: 'ignore' }],
    ['options.bestBidPrice', { bestBidPrice: 100.5 }],
    ['options.bestBidPrice', { bestBidPrice: Number.NaN }],
    ['options.bestAskPrice', { bestAskPrice: 99.5 }],
  ] as const)('rejects a bad option %s', (field, options) => {
    let caught: unknown
    try {
      computeAsQuote(paper, options as never)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
  })
})

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
const parametersArb = fc.record({
  midPrice: finite(1, 1e5),
  q: finite(-50, 50),
  gammaPerPrice: finite(1e-4, 10),
  sigmaPerSqrtTime: finite(0, 10),
  kPerPrice: finite(1e-3, 100),
  timeToHorizon: finite(0, 10),
})
const relClose = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(scale))

describe('computeAsQuote: properties', () => {
  it('the spread does not depend on q', () => {
    fc.assert(
      fc.property(parametersArb, finite(-50, 50), (p, q2) => {
        const a = computeAsQuote(p)
        const b = computeAsQuote({ ...p, q: q2 })
        expect(relClose(a.spread, b.spread, a.spread)).toBe(true)
      }),
      FC_PARAMETERS,
    )
  })

  it('the reservation price decreases in q (strictly when σ > 0 and T − t > 0)', () => {
    fc.assert(
      fc.property(parametersArb, finite(1e-3, 10), (p, dq) => {
        const lower = computeAsQuote(p).reservationPrice
        const higher = computeAsQuote({ ...p, q: p.q + dq }).reservationPrice
        expect(higher).toBeLessThanOrEqual(lower)
        if (p.sigmaPerSqrtTime > 1e-3 && p.timeToHorizon > 1e-3 && p.gammaPerPrice > 1e-3) {
          expect(higher).toBeLessThan(lower)
        }
      }),
      FC_PARAMETERS,
    )
  })

  it('symmetry: δᵇ(q) = δᵃ(−q) and δᵃ(q) = δᵇ(−q)', () => {
    fc.assert(
      fc.property(parametersArb, (p) => {
        const a = computeAsQuote(p)
        const b = computeAsQuote({ ...p, q: -p.q })
        expect(a.bidDepth).toBeCloseTo(b.askDepth, 9)
        expect(a.askDepth).toBeCloseTo(b.bidDepth, 9)
      }),
      FC_PARAMETERS,
    )
  })

  it('bid = r − spread/2 and ask = r + spread/2 under the report policy', () => {
    fc.assert(
      fc.property(parametersArb, (p) => {
        const quote = computeAsQuote(p)
        expect(relClose(quote.bidPrice!, quote.reservationPrice - quote.spread / 2, p.midPrice)).toBe(true)
        expect(relClose(quote.askPrice!, quote.reservationPrice + quote.spread / 2, p.midPrice)).toBe(true)
      }),
      FC_PARAMETERS,
    )
  })

  it('every policy: flags iff depth < 0 (or price ≤ 0), at most one side crosses, the other side is untouched', () => {
    const policies: AsCrossingPolicy[] = ['report', 'clip', 'drop', 'throw']
    fc.assert(
      fc.property(parametersArb, fc.constantFrom(...policies), (p, crossing) => {
        const reported = computeAsQuote(p)
        expect(reported.bidCrossesMid).toBe(reported.bidDepth < 0)
        expect(reported.askCrossesMid).toBe(reported.askDepth < 0)
        expect(reported.bidCrossesMid && reported.askCrossesMid).toBe(false)
        const crosses = reported.bidCrossesMid || reported.askCrossesMid
        const bidNonPositive = reported.bidPrice! <= 0
        const askNonPositive = reported.askPrice! <= 0
        expect(reported.flags.bidPriceNonPositive).toBe(bidNonPositive)
        expect(reported.flags.askPriceNonPositive).toBe(askNonPositive)
        if (crossing === 'throw') {
          if (crosses) expect(() => computeAsQuote(p, { crossing })).toThrow(QuoteCrossesMidError)
          else if (bidNonPositive || askNonPositive)
            expect(() => computeAsQuote(p, { crossing })).toThrow(QuoteNonPositivePriceError)
          else expect(computeAsQuote(p, { crossing })).toEqual(reported)
          return
        }
        const quote = computeAsQuote(p, { crossing })
        expect(quote.bidCrossesMid).toBe(reported.bidCrossesMid)
        expect(quote.askCrossesMid).toBe(reported.askCrossesMid)
        expect(quote.bidDepth).toBe(reported.bidDepth)
        expect(quote.askDepth).toBe(reported.askDepth)
        // A bid price ≤ 0 is unquoted by 'clip' and 'drop' (nothing positive to clip to); a crossing bid is > 0.
        const expectedBid = !reported.bidCrossesMid
          ? bidNonPositive && crossing !== 'report'
            ? null
            : reported.bidPrice
          : crossing === 'report'
            ? reported.bidPrice
            : crossing === 'clip'
              ? p.midPrice
              : null
        const expectedAsk = !reported.askCrossesMid
          ? reported.askPrice
          : crossing === 'report'
            ? reported.askPrice
            : crossing === 'clip'
              ? p.midPrice
              : null
        expect(quote.bidPrice).toBe(expectedBid)
        expect(quote.askPrice).toBe(expectedAsk)
        // After 'clip' or 'drop' no quoted price is on the wrong side of the mid.
        if (crossing !== 'report') {
          if (quote.bidPrice !== null) expect(quote.bidPrice).toBeLessThanOrEqual(p.midPrice)
          if (quote.askPrice !== null) expect(quote.askPrice).toBeGreaterThanOrEqual(p.midPrice)
        }
      }),
      FC_PARAMETERS,
    )
  })
})
