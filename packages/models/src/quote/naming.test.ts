import { describe, expect, it } from 'vitest'
import { computeAsInfiniteHorizonQuote } from '../as/computeAsInfiniteHorizonQuote.js'
import { computeAsQuote } from '../as/computeAsQuote.js'
import { computeAsReservationPrice } from '../as/computeAsReservationPrice.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeGlftApproxQuotes } from '../glft/computeGlftApproxQuotes.js'

/**
 * One naming across models: the inventory is `inventoryLots` (AS's q, GLFT's lots; `q` stays as a deprecated alias)
 * and depths are `bidDepthPrice` / `askDepthPrice` / `spreadPrice` (AS's `bidDepth` / `askDepth` / `spread` stay as
 * deprecated aliases). Values hand-derived from AS 2008 eqs. (29)–(30) and GLFT 2013 Prop. 3 with γ = k = σ = τ = 1 (v = 1, c = ln 2)
 * and, for GLFT, A = 2 (C = 1): at 2 lots, AS δᵇ = ln 2 + (1 + 4)/2, GLFT δᵇ = ln 2 + (4 + 1)/2 — the same number.
 */
describe('inventoryLots and …Price depths in every model', () => {
  const as = { gammaPerPrice: 1, kPerPrice: 1, sigmaPerSqrtTime: 1, timeToHorizon: 1, midPrice: 100 }

  it('AS takes inventoryLots; q (deprecated) gives the same quote', () => {
    const quote = computeAsQuote({ ...as, inventoryLots: 2 })
    expect(quote.bidDepthPrice).toBeCloseTo(Math.log(2) + 2.5, 12)
    expect(quote.askDepthPrice).toBeCloseTo(Math.log(2) - 1.5, 12)
    expect(quote.spreadPrice).toBeCloseTo(2 * Math.log(2) + 1, 12)
    expect(quote.reservationPrice).toBe(98)
    // Deprecated names: same values.
    expect(quote.bidDepth).toBe(quote.bidDepthPrice)
    expect(quote.askDepth).toBe(quote.askDepthPrice)
    expect(quote.spread).toBe(quote.spreadPrice)
    expect(computeAsQuote({ ...as, q: 2 })).toEqual(quote)
    expect(computeAsReservationPrice({ ...as, inventoryLots: 2 })).toBe(98)
  })

  it('AS and the GLFT closed form agree on the name and, here, on the value', () => {
    const glft = computeGlftApproxQuotes({
      gammaPerPrice: 1,
      kPerPrice: 1,
      sigmaPerSqrtSec: 1,
      aPerSec: 2,
      inventoryLots: 2,
    })
    expect(glft.bidDepthPrice).toBeCloseTo(Math.log(2) + 2.5, 12)
    expect(computeAsQuote({ ...as, inventoryLots: 2 }).bidDepthPrice).toBeCloseTo(glft.bidDepthPrice, 12)
  })

  it('the infinite horizon takes inventoryLots too', () => {
    const p = { gammaPerPrice: 1, kPerPrice: 1, sigmaPerSqrtTime: 1, midPrice: 100, omegaPerTime: 3 }
    expect(computeAsInfiniteHorizonQuote({ ...p, inventoryLots: -2 })).toEqual(
      computeAsInfiniteHorizonQuote({ ...p, q: -2 }),
    )
  })

  it('a bad or missing inventory names inventoryLots', () => {
    expect(() => computeAsQuote({ ...as, inventoryLots: Number.NaN })).toThrow(/inventoryLots/)
    expect(() => computeAsQuote({ ...as } as never)).toThrow(InvalidParameterError)
    expect(() => computeAsQuote({ ...as } as never)).toThrow(/inventoryLots/)
    expect(() => computeAsQuote({ ...as, q: Number.NaN })).toThrow(/Invalid q/)
  })
})
