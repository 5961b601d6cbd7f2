import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { buildGlftMatrix, GLFT_MAX_INVENTORY_LOTS_LIMIT } from './buildGlftMatrix.js'

const FIG = { gammaPerPrice: 0.01, sigmaPerSqrtSec: 0.3, aPerSec: 0.9, kPerPrice: 0.3 }

describe('buildGlftMatrix', () => {
  it('builds diagonal αq², off-diagonal −η and v(T) = 1 (GLFT Thm 1)', () => {
    const m = buildGlftMatrix({ ...FIG, maxInventoryLots: 3 })
    // α = (k/2)γσ² = 0.15·0.01·0.09 = 1.35e-4; η = A(1+γ/k)^{−(1+k/γ)} = 0.9·(31/30)^{−31}.
    const alpha = 1.35e-4
    const eta = 0.9 * (31 / 30) ** -31
    expect(m.alphaPerSec).toBeCloseTo(alpha, 15)
    expect(m.etaPerSec / eta).toBeCloseTo(1, 13)
    expect(Array.from(m.diagonal).map((x) => x / alpha)).toEqual(
      [9, 4, 1, 0, 1, 4, 9].map((x) => expect.closeTo(x, 12)),
    )
    expect(m.offDiagonal).toHaveLength(6)
    for (const x of m.offDiagonal) expect(x).toBe(-m.etaPerSec)
    expect(Array.from(m.terminal)).toEqual([1, 1, 1, 1, 1, 1, 1])
    expect(m.baseDepthPrice).toBeCloseTo(100 * Math.log(31 / 30), 12)
  })

  it('with a drift μ the diagonal is αq² − kμq (boundary rows αQ² − βQ at q = Q, αQ² + βQ at q = −Q)', () => {
    const mu = 0.001
    const m = buildGlftMatrix({ ...FIG, driftPricePerSec: mu, maxInventoryLots: 2 })
    const alpha = 1.35e-4
    const beta = 0.3 * mu
    expect(m.diagonal[0]).toBeCloseTo(4 * alpha + 2 * beta, 15)
    expect(m.diagonal[4]).toBeCloseTo(4 * alpha - 2 * beta, 15)
    expect(m.diagonal[3]).toBeCloseTo(alpha - beta, 15)
  })

  it('with an impact ξ: η·e^{−kξ/2}, v_q(T) = e^{−kξq²/2}, base depth + ξ/2 (GLFT §5)', () => {
    const xi = 0.4
    const plain = buildGlftMatrix({ ...FIG, maxInventoryLots: 2 })
    const m = buildGlftMatrix({ ...FIG, impactPricePerFill: xi, maxInventoryLots: 2 })
    expect(m.etaPerSec / plain.etaPerSec).toBeCloseTo(Math.exp(-0.3 * 0.2), 14)
    expect(m.terminal[0]).toBeCloseTo(Math.exp(-0.3 * 0.4 * 2), 15)
    expect(m.terminal[1]).toBeCloseTo(Math.exp(-0.3 * 0.4 * 0.5), 15)
    expect(m.terminal[2]).toBe(1)
    expect(Array.from(m.logTerminal)).toEqual([-0.24, -0.06, 0, -0.06, -0.24].map((x) => expect.closeTo(x, 15)))
    expect(m.baseDepthPrice - plain.baseDepthPrice).toBeCloseTo(0.2, 14)
  })

  it('names a bad inventory bound', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, GLFT_MAX_INVENTORY_LOTS_LIMIT + 1]) {
      const call = () => buildGlftMatrix({ ...FIG, maxInventoryLots: bad })
      expect(call).toThrow(InvalidParameterError)
      expect(call).toThrow(`Invalid maxInventoryLots: ${Number.isNaN(bad) ? 'NaN' : bad}`)
    }
    expect(() => buildGlftMatrix({ ...FIG, gammaPerPrice: 0, maxInventoryLots: 3 })).toThrow(/gammaPerPrice: 0/)
  })
})
