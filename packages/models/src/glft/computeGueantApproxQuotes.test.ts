import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeGlftApproxQuotes } from './computeGlftApproxQuotes.js'
import { computeGueantApproxQuotes } from './computeGueantApproxQuotes.js'

const params = fc.record({
  xiPerPrice: fc.double({ min: 0, max: 1, noNaN: true }),
  gammaPerPrice: fc.double({ min: 1e-3, max: 1, noNaN: true }),
  orderSizeBase: fc.double({ min: 0.01, max: 10, noNaN: true }),
  aPerSec: fc.double({ min: 0.01, max: 10, noNaN: true }),
  kPerPrice: fc.double({ min: 0.01, max: 10, noNaN: true }),
  sigmaPerSqrtSec: fc.double({ min: 0, max: 5, noNaN: true }),
})

describe('computeGueantApproxQuotes', () => {
  it('is the formula of Guéant 2017 eqs. 4.6/4.7 written out', () => {
    const [xi, gamma, delta, a, k, sigma, q] = [0.02, 0.05, 2, 0.9, 0.3, 0.3, 3]
    const root = Math.sqrt(
      ((gamma * sigma * sigma) / (2 * a * delta * k)) * (1 + (xi * delta) / k) ** (k / (xi * delta) + 1),
    )
    const first = (1 / (xi * delta)) * Math.log(1 + (xi * delta) / k)
    const got = computeGueantApproxQuotes({
      xiPerPrice: xi,
      gammaPerPrice: gamma,
      orderSizeBase: delta,
      aPerSec: a,
      kPerPrice: k,
      sigmaPerSqrtSec: sigma,
      inventoryBase: q,
    })
    expect(got.bidDepthPrice).toBeCloseTo(first + ((2 * q + delta) / 2) * root, 11)
    expect(got.askDepthPrice).toBeCloseTo(first - ((2 * q - delta) / 2) * root, 11)
  })

  it('is symmetric, δᵇ(q) = δᵃ(−q), and monotone in q (bid deeper, ask shallower as q grows)', () => {
    fc.assert(
      fc.property(
        params,
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (p, q, step) => {
          const at = (inventoryBase: number) => computeGueantApproxQuotes({ ...p, inventoryBase })
          const scale = 1 + Math.abs(at(q).bidDepthPrice) + Math.abs(at(q).askDepthPrice)
          expect(Math.abs(at(q).bidDepthPrice - at(-q).askDepthPrice)).toBeLessThan(1e-12 * scale)
          expect(at(q + step).bidDepthPrice).toBeGreaterThanOrEqual(at(q).bidDepthPrice)
          expect(at(q + step).askDepthPrice).toBeLessThanOrEqual(at(q).askDepthPrice)
        },
      ),
      { numRuns: 200, seed: 4607 },
    )
  })

  it('reduces to GLFT 2013 with ξ = γ and lots: (γ, Δ, q = nΔ) equals the C-form with γΔ per lot and n lots', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: -20, max: 20 }), (p, n) => {
        const gueant = computeGueantApproxQuotes({
          ...p,
          xiPerPrice: p.gammaPerPrice,
          inventoryBase: n * p.orderSizeBase,
        })
        const glft = computeGlftApproxQuotes({
          gammaPerPrice: p.gammaPerPrice * p.orderSizeBase,
          sigmaPerSqrtSec: p.sigmaPerSqrtSec,
          aPerSec: p.aPerSec,
          kPerPrice: p.kPerPrice,
          inventoryLots: n,
        })
        const scale = 1 + Math.abs(glft.bidDepthPrice) + Math.abs(glft.askDepthPrice)
        expect(Math.abs(gueant.bidDepthPrice - glft.bidDepthPrice)).toBeLessThan(1e-11 * scale)
        expect(Math.abs(gueant.askDepthPrice - glft.askDepthPrice)).toBeLessThan(1e-11 * scale)
      }),
      { numRuns: 200, seed: 2013 },
    )
  })

  it('rejects a non-finite inventory', () => {
    const p = {
      xiPerPrice: 0.01,
      gammaPerPrice: 0.01,
      orderSizeBase: 1,
      aPerSec: 0.9,
      kPerPrice: 0.3,
      sigmaPerSqrtSec: 0.3,
    }
    expect(() => computeGueantApproxQuotes({ ...p, inventoryBase: Number.NaN })).toThrow(InvalidParameterError)
    expect(() => computeGueantApproxQuotes({ ...p, inventoryBase: Number.NaN })).toThrow(/inventoryBase: NaN/)
  })
})
