import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeGlftHalfSpreadAndSkew } from './computeGlftHalfSpreadAndSkew.js'

describe('computeGlftHalfSpreadAndSkew', () => {
  it('gives half_spread = c1 + Δ/2·σ·c2 and skew = σ·c2 (hftbacktest notebook, γ = ξ = 0.05, Δ = 1)', () => {
    const sigma = 0.4
    const gamma = 0.05
    const a = 1.2
    const k = 0.6
    const got = computeGlftHalfSpreadAndSkew({
      xiPerPrice: gamma,
      gammaPerPrice: gamma,
      orderSizeBase: 1,
      aPerSec: a,
      kPerPrice: k,
      sigmaPerSqrtSec: sigma,
    })
    const c1 = (1 / gamma) * Math.log(1 + gamma / k)
    const c2 = Math.sqrt((gamma / (2 * a * k)) * (1 + gamma / k) ** (k / gamma + 1))
    expect(got.skewPricePerBase).toBeCloseTo(sigma * c2, 12)
    expect(got.halfSpreadPrice).toBeCloseTo(c1 + 0.5 * sigma * c2, 12)
  })

  it('scales the half-spread term with the order size Δ', () => {
    const p = { xiPerPrice: 0.02, gammaPerPrice: 0.02, aPerSec: 0.9, kPerPrice: 0.3, sigmaPerSqrtSec: 0.3 }
    const y = (0.02 * 3) / 0.3
    const c1 = (1 / (0.02 * 3)) * Math.log(1 + y)
    const c2 = Math.sqrt((0.02 / (2 * 0.9 * 3 * 0.3)) * (1 + y) ** (1 / y + 1))
    const got = computeGlftHalfSpreadAndSkew({ ...p, orderSizeBase: 3 })
    expect(got.halfSpreadPrice).toBeCloseTo(c1 + 1.5 * 0.3 * c2, 12)
  })

  it('rejects a negative or NaN σ', () => {
    const p = { xiPerPrice: 0.01, gammaPerPrice: 0.01, orderSizeBase: 1, aPerSec: 0.9, kPerPrice: 0.3 }
    expect(() => computeGlftHalfSpreadAndSkew({ ...p, sigmaPerSqrtSec: -0.3 })).toThrow(InvalidParameterError)
    expect(() => computeGlftHalfSpreadAndSkew({ ...p, sigmaPerSqrtSec: Number.NaN })).toThrow(/sigmaPerSqrtSec: NaN/)
  })
})
