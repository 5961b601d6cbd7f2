import { describe, expect, it } from 'vitest'
import { GlftPrecisionLossError } from '../errors/glft.js'
import { expmDense } from '../internal/linalg/expmDense.js'
import type { GlftExactParameters } from './buildGlftMatrix.js'
import { propagateGroundStateChain } from './propagateGroundStateChain.js'
import { solveGlftExact } from './solveGlftExact.js'

const FIG = { gammaPerPrice: 0.01, sigmaPerSqrtSec: 0.3, aPerSec: 0.9, kPerPrice: 0.3 }

/** ln(v_i/v_{i+1}) from a dense Padé(13) exp(−(M − sI)τ)·v(T), M written out from GLFT Thm 1 / §5 here. */
function referenceLogRatios(p: GlftExactParameters, tau: number): number[] {
  const bound = p.maxInventoryLots
  const n = 2 * bound + 1
  const { gammaPerPrice: g, sigmaPerSqrtSec: s, aPerSec: a, kPerPrice: k } = p
  const mu = p.driftPricePerSec ?? 0
  const xi = p.impactPricePerFill ?? 0
  const alpha = (k / 2) * g * s * s
  const eta = a * (1 + g / k) ** -(1 + k / g) * Math.exp((-k * xi) / 2)
  const diagonal = Array.from({ length: n }, (_, i) => alpha * (i - bound) ** 2 - k * mu * (i - bound))
  const shift = Math.min(...diagonal) - 2 * eta
  const dense = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    dense[i * n + i] = -(diagonal[i]! - shift) * tau
    if (i + 1 < n) {
      dense[i * n + i + 1] = eta * tau
      dense[(i + 1) * n + i] = eta * tau
    }
  }
  const e = expmDense(dense, n)
  const v = Array.from({ length: n }, (_, i) => {
    let sum = 0
    for (let j = 0; j < n; j++) sum += e[i * n + j]! * Math.exp((-k * xi * (j - bound) ** 2) / 2)
    return sum
  })
  return Array.from({ length: n - 1 }, (_, i) => Math.log(v[i]! / v[i + 1]!))
}

/** Inputs of the chain for a model, with the ground-state log-ratios read back from the asymptotic table. */
function chainInputs(p: GlftExactParameters) {
  const solution = solveGlftExact(p)
  const base = solution.matrix.baseDepthPrice
  const quotes = solution.getAsymptoticQuoteTable().quotes
  return {
    groundLogRatios: Float64Array.from(quotes.slice(0, -1), (q) => p.kPerPrice * (q.bidDepthPrice! - base)),
    etaPerSec: solution.matrix.etaPerSec,
    logTerminal: solution.matrix.logTerminal,
    groundRelativeError: 1e-13,
    tolerance: 1e-6,
  }
}

describe('propagateGroundStateChain', () => {
  it('equals the dense matrix exponential (Q = 10, with and without drift and impact)', () => {
    const cases: GlftExactParameters[] = [
      { ...FIG, maxInventoryLots: 10 },
      { ...FIG, maxInventoryLots: 10, driftPricePerSec: 3e-4, impactPricePerFill: 0.3 },
    ]
    for (const p of cases) {
      const inputs = chainInputs(p)
      for (const tau of [0, 0.5, 60, 600]) {
        const got = propagateGroundStateChain({ ...inputs, timeToHorizonSec: tau })
        const expected = referenceLogRatios(p, tau)
        expect(got.relativeErrorBound).toBeLessThan(1e-9)
        for (let i = 0; i < expected.length; i++)
          expect(Math.abs(got.logValueRatios[i]! - expected[i]!)).toBeLessThan(1e-10)
      }
    }
  })

  it('throws GlftPrecisionLossError when u(T) = v(T)/f spans beyond e^1300 or the rate errors exceed the tolerance', () => {
    const n = 21
    const steep = new Float64Array(n - 1).map((_, i) => (i < 10 ? -80 : 80)) // f falls by e^80 per step from the centre
    const call = () =>
      propagateGroundStateChain({
        groundLogRatios: steep,
        etaPerSec: 1,
        logTerminal: new Float64Array(n),
        timeToHorizonSec: 1,
        groundRelativeError: 1e-15,
        tolerance: 1e-6,
      })
    expect(call).toThrow(GlftPrecisionLossError)
    const inputs = chainInputs({ ...FIG, maxInventoryLots: 5 })
    expect(() => propagateGroundStateChain({ ...inputs, groundRelativeError: 1e-3, timeToHorizonSec: 600 })).toThrow(
      /estimated relative error/,
    )
  })
})
