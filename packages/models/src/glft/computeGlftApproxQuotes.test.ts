import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeGlftApproxQuotes } from './computeGlftApproxQuotes.js'

// GLFT 2013 Figs 1–3: σ = 0.3 tick/√s, A = 0.9 /s, k = 0.3 /tick, γ = 0.01 /tick.
const FIG = { gammaPerPrice: 0.01, sigmaPerSqrtSec: 0.3, aPerSec: 0.9, kPerPrice: 0.3 }
const c0 = (1 / 0.01) * Math.log(1 + 0.01 / 0.3)
const bigC = Math.sqrt(((0.3 * 0.3 * 0.01) / (2 * 0.3 * 0.9)) * (1 + 0.01 / 0.3) ** (1 + 0.3 / 0.01))

const modelParams = fc.record({
  gammaPerPrice: fc.double({ min: 1e-3, max: 1, noNaN: true }),
  sigmaPerSqrtSec: fc.double({ min: 0.01, max: 5, noNaN: true }),
  aPerSec: fc.double({ min: 0.01, max: 10, noNaN: true }),
  kPerPrice: fc.double({ min: 0.01, max: 10, noNaN: true }),
})

describe('computeGlftApproxQuotes', () => {
  it('is GLFT Prop. 3 for the Figs 1–3 parameters: δᵇ = c0 + (2q+1)/2·C, δᵃ = c0 − (2q−1)/2·C, ψ = 2c0 + C', () => {
    for (const q of [-3, 0, 1, 5]) {
      const got = computeGlftApproxQuotes({ ...FIG, inventoryLots: q })
      expect(got.bidDepthPrice).toBeCloseTo(c0 + ((2 * q + 1) / 2) * bigC, 12)
      expect(got.askDepthPrice).toBeCloseTo(c0 - ((2 * q - 1) / 2) * bigC, 12)
      expect(got.spreadPrice).toBeCloseTo(2 * c0 + bigC, 12)
      expect(got.cPricePerLot).toBeCloseTo(bigC, 12)
    }
    // By hand: (1+1/30)^31 = e^{31·0.0327898} = e^{1.016485} = 2.763410…; C = √(0.0009/0.54·2.763410) = 0.067866… ticks.
    expect(bigC).toBeCloseTo(0.067866, 5)
  })

  it('shifts both quotes by ∓μ/(γσ²)·C with a drift (GLFT §5)', () => {
    const mu = 0.0002
    const shift = (mu / (0.01 * 0.09)) * bigC
    const got = computeGlftApproxQuotes({ ...FIG, driftPricePerSec: mu, inventoryLots: 2 })
    expect(got.bidDepthPrice).toBeCloseTo(c0 + (-mu / (0.01 * 0.09) + 5 / 2) * bigC, 12)
    expect(got.askDepthPrice).toBeCloseTo(c0 + (mu / (0.01 * 0.09) - 3 / 2) * bigC, 12)
    expect(shift).toBeGreaterThan(0.01)
  })

  it('adds ξ/2 and the factor e^{kξ/4} with a market impact ξ per fill (GLFT §5)', () => {
    const xi = 0.5
    const got = computeGlftApproxQuotes({ ...FIG, impactPricePerFill: xi, inventoryLots: -1 })
    const scaled = Math.exp((0.3 * xi) / 4) * bigC
    expect(got.bidDepthPrice).toBeCloseTo(c0 + xi / 2 + (-1 / 2) * scaled, 12)
    expect(got.askDepthPrice).toBeCloseTo(c0 + xi / 2 + (3 / 2) * scaled, 12)
    expect(got.spreadPrice).toBeCloseTo(2 * c0 + xi + scaled, 12)
  })

  it('is symmetric (δᵇ(q; μ) = δᵃ(−q; −μ)) and monotone in q', () => {
    fc.assert(
      fc.property(
        modelParams,
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: -30, max: 30, noNaN: true }),
        (p, drift, impact, q) => {
          const a = computeGlftApproxQuotes({
            ...p,
            driftPricePerSec: drift,
            impactPricePerFill: impact,
            inventoryLots: q,
          })
          const b = computeGlftApproxQuotes({
            ...p,
            driftPricePerSec: -drift,
            impactPricePerFill: impact,
            inventoryLots: -q,
          })
          const c = computeGlftApproxQuotes({
            ...p,
            driftPricePerSec: drift,
            impactPricePerFill: impact,
            inventoryLots: q + 1,
          })
          const scale = 1 + Math.abs(a.bidDepthPrice) + Math.abs(a.askDepthPrice)
          expect(Math.abs(a.bidDepthPrice - b.askDepthPrice)).toBeLessThan(1e-12 * scale)
          expect(c.bidDepthPrice).toBeGreaterThan(a.bidDepthPrice)
          expect(c.askDepthPrice).toBeLessThan(a.askDepthPrice)
        },
      ),
      { numRuns: 200, seed: 5 },
    )
  })

  it('has the GLFT comparative statics for the spread: ∂ψ/∂σ² > 0, ∂ψ/∂A < 0, ∂ψ/∂k < 0', () => {
    fc.assert(
      fc.property(modelParams, fc.double({ min: 1.01, max: 3, noNaN: true }), (p, factor) => {
        const psi = (patch: Partial<typeof p>) =>
          computeGlftApproxQuotes({ ...p, ...patch, inventoryLots: 0 }).spreadPrice
        const base = psi({})
        expect(psi({ sigmaPerSqrtSec: p.sigmaPerSqrtSec * factor })).toBeGreaterThan(base)
        expect(psi({ aPerSec: p.aPerSec * factor })).toBeLessThan(base)
        expect(psi({ kPerPrice: p.kPerPrice * factor })).toBeLessThan(base)
      }),
      { numRuns: 200, seed: 6 },
    )
  })

  it('names every bad field and value', () => {
    const ok = { ...FIG, inventoryLots: 0 }
    const cases: [Record<string, number>, RegExp][] = [
      [{ gammaPerPrice: 0 }, /gammaPerPrice: 0 \(must be > 0\)/],
      [{ gammaPerPrice: -0.01 }, /gammaPerPrice: -0.01/],
      [{ kPerPrice: 0 }, /kPerPrice: 0/],
      [{ kPerPrice: Number.NaN }, /kPerPrice: NaN/],
      [{ sigmaPerSqrtSec: -0.3 }, /sigmaPerSqrtSec: -0.3 \(must be >= 0\)/],
      [{ aPerSec: 0 }, /aPerSec: 0/],
      [{ aPerSec: Number.NaN }, /aPerSec: NaN/],
      [{ inventoryLots: Number.NaN }, /inventoryLots: NaN/],
      [{ driftPricePerSec: Number.NaN }, /driftPricePerSec: NaN/],
      [{ driftPricePerSec: 0.1, sigmaPerSqrtSec: 0 }, /sigmaPerSqrtSec: 0 \(must be > 0 when driftPricePerSec ≠ 0\)/],
      [{ impactPricePerFill: -1 }, /impactPricePerFill: -1/],
    ]
    for (const [patch, message] of cases) {
      const call = () => computeGlftApproxQuotes({ ...ok, ...patch })
      expect(call).toThrow(InvalidParameterError)
      expect(call).toThrow(message)
    }
    const error = catchError(() => computeGlftApproxQuotes({ ...ok, kPerPrice: -2 }))
    expect(error).toBeInstanceOf(InvalidParameterError)
    expect((error as InvalidParameterError).field).toBe('kPerPrice')
    expect((error as InvalidParameterError).value).toBe(-2)
    expect((error as InvalidParameterError).code).toBe('INVALID_PARAMETER')
    expect((error as InvalidParameterError).metaMessages.at(-1)).toMatch(/^Next: /)
    expect(() => computeGlftApproxQuotes(null as never)).toThrow(/parameters: null/)
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}
