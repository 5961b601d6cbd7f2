import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeGlftCoefficients } from './computeGlftCoefficients.js'

// GLFT 2013 Figs 1–3 parameter set (price unit = tick, time unit = second).
const FIG = { sigma: 0.3, a: 0.9, k: 0.3, gamma: 0.01 }

describe('computeGlftCoefficients', () => {
  it('equals the GLFT 2013 C-form when ξ = γ and Δ = 1 (reference §7.5)', () => {
    const { sigma, a, k, gamma } = FIG
    const { c1Price, c2SqrtSecPerBase } = computeGlftCoefficients({
      xiPerPrice: gamma,
      gammaPerPrice: gamma,
      orderSizeBase: 1,
      aPerSec: a,
      kPerPrice: k,
    })
    // GLFT Prop. 3 written out: c1 = (1/γ)·ln(1+γ/k), C = √(σ²γ/(2kA)·(1+γ/k)^(1+k/γ)), σ·c2 = C.
    const c1 = (1 / gamma) * Math.log(1 + gamma / k)
    const bigC = Math.sqrt(((sigma * sigma * gamma) / (2 * k * a)) * (1 + gamma / k) ** (1 + k / gamma))
    expect(c1Price).toBeCloseTo(c1, 12)
    expect(sigma * c2SqrtSecPerBase).toBeCloseTo(bigC, 12)
    // By hand: ln(31/30) = 0.0327898228…, so c1 = 3.27898228… ticks.
    expect(c1Price).toBeCloseTo(3.27898228, 7)
  })

  it("equals hftbacktest's compute_coeff(xi, gamma, delta, A, k) written out with powers", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 2, noNaN: true }),
        fc.double({ min: 1e-3, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        (xi, gamma, delta, a, k) => {
          // c1 = 1/(xi·delta)·log(1 + xi·delta/k); c2 = sqrt(gamma/(2·A·delta·k)·(1 + xi·delta/k)^(k/(xi·delta) + 1))
          const c1 = (1 / (xi * delta)) * Math.log(1 + (xi * delta) / k)
          const c2 = Math.sqrt((gamma / (2 * a * delta * k)) * (1 + (xi * delta) / k) ** (k / (xi * delta) + 1))
          const got = computeGlftCoefficients({
            xiPerPrice: xi,
            gammaPerPrice: gamma,
            orderSizeBase: delta,
            aPerSec: a,
            kPerPrice: k,
          })
          // Tolerance covers the naive log(1 + y) above, which loses digits for small y (the code uses log1p).
          expect(Math.abs(got.c1Price - c1) / c1).toBeLessThan(1e-10)
          expect(Math.abs(got.c2SqrtSecPerBase - c2) / c2).toBeLessThan(1e-10)
        },
      ),
      { numRuns: 200, seed: 2017 },
    )
  })

  it('has the ξ → 0 limit c1 = 1/k, c2 = √(e·γ/(2AΔk)) and is continuous there', () => {
    const base = { gammaPerPrice: 0.05, orderSizeBase: 2, aPerSec: 0.9, kPerPrice: 0.3 }
    const atZero = computeGlftCoefficients({ ...base, xiPerPrice: 0 })
    expect(atZero.c1Price).toBeCloseTo(1 / 0.3, 14)
    expect(atZero.c2SqrtSecPerBase).toBeCloseTo(Math.sqrt((Math.E * 0.05) / (2 * 0.9 * 2 * 0.3)), 14)
    // Tiny ξ: first-order expansion c1 ≈ (1/k)(1 − y/2), y = ξΔ/k (the naive formula would cancel catastrophically).
    for (const xi of [1e-300, 1e-15, 1e-9]) {
      const y = (xi * 2) / 0.3
      const got = computeGlftCoefficients({ ...base, xiPerPrice: xi })
      expect(Math.abs(got.c1Price - (1 / 0.3) * (1 - y / 2)) * 0.3).toBeLessThan(1e-15 + y * y)
      expect(Math.abs(got.c2SqrtSecPerBase / atZero.c2SqrtSecPerBase - 1)).toBeLessThan(1e-15 + y)
    }
  })

  it('names the bad field and value', () => {
    const ok = { xiPerPrice: 0.01, gammaPerPrice: 0.01, orderSizeBase: 1, aPerSec: 0.9, kPerPrice: 0.3 }
    const cases: [Partial<typeof ok>, RegExp][] = [
      [{ xiPerPrice: -0.1 }, /xiPerPrice: -0.1/],
      [{ xiPerPrice: Number.NaN }, /xiPerPrice: NaN/],
      [{ gammaPerPrice: 0 }, /gammaPerPrice: 0/],
      [{ gammaPerPrice: -1 }, /gammaPerPrice: -1/],
      [{ orderSizeBase: 0 }, /orderSizeBase: 0/],
      [{ aPerSec: 0 }, /aPerSec: 0/],
      [{ kPerPrice: -0.3 }, /kPerPrice: -0.3/],
      [{ kPerPrice: Number.POSITIVE_INFINITY }, /kPerPrice: Infinity/],
    ]
    for (const [patch, message] of cases) {
      const call = () => computeGlftCoefficients({ ...ok, ...patch })
      expect(call).toThrow(InvalidParameterError)
      expect(call).toThrow(message)
    }
  })
})
