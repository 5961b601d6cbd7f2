import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { InsufficientDataError, InvalidSampleError, UnsortedTimestampsError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeEwmaVolatility } from './computeEwmaVolatility.js'
import type { PriceSample } from './types.js'

const SEC = 1_000_000_000n

describe('computeEwmaVolatility', () => {
  it('matches a hand computation (half-life 1 s)', () => {
    // τ = 1/ln2 s. Step 1: Δt = 1 s → decay e^(−ln2) = 1/2, weight 1/2, S = (1/2)·1²/1 = 1/2, W = 1/2.
    // Step 2: Δt = 2 s → decay 1/4, weight 3/4, S = (1/4)(1/2) + (3/4)·2²/2 = 13/8, W = (1/4)(1/2) + 3/4 = 7/8.
    // σ² = S/W = 13/7 price²/s.
    const samples = [
      { tsNs: 0n, price: 100 },
      { tsNs: 1n * SEC, price: 101 },
      { tsNs: 3n * SEC, price: 99 },
    ]
    const r = computeEwmaVolatility({ samples, halfLifeNs: SEC, returns: 'price' })
    expect(r.variancePerSec).toBeCloseTo(13 / 7, 13)
    expect(r.sigmaPerSqrtSec).toBeCloseTo(Math.sqrt(13 / 7), 13)
    expect(r.incrementCount).toBe(2)
    expect(r.elapsedNs).toBe(3n * SEC)
  })

  it('treats equal timestamps with the Δt → 0 limit Δx²/τ (no division by zero)', () => {
    // Step 1 as above (S = W = 1/2); step 2 has Δt = 0: decay 1, weight 0, S += 2²/τ = 4·ln2.
    const samples = [
      { tsNs: 0n, price: 100 },
      { tsNs: 1n * SEC, price: 101 },
      { tsNs: 1n * SEC, price: 103 },
    ]
    const r = computeEwmaVolatility({ samples, halfLifeNs: SEC, returns: 'price' })
    expect(r.variancePerSec).toBeCloseTo((0.5 + 4 * Math.LN2) / 0.5, 13)
  })

  it('recovers a known σ from an irregularly sampled random walk (4 standard errors)', () => {
    const sigma = 0.5
    const rng = createSeededRandom(21)
    const samples: PriceSample[] = [{ tsNs: 0n, price: 1000 }]
    let tsNs = 0n
    let price = 1000
    for (let i = 0; i < 40_000; i++) {
      const gapNs = BigInt(Math.max(1, Math.round(rng.exponential(10) * 1e9)))
      tsNs += gapNs
      price += sigma * Math.sqrt(Number(gapNs) / 1e9) * rng.normal()
      samples.push({ tsNs, price })
    }
    const halfLifeSec = 600
    const r = computeEwmaVolatility({ samples, halfLifeNs: BigInt(halfLifeSec) * SEC, returns: 'price' })
    // Kernel estimator: Var(σ̂²)/σ⁴ ≈ (E[Δt²]/E[Δt])/τ = 2·0.1 s/τ for exponential gaps; relative SD of σ̂ is half of that SD.
    const tauSec = halfLifeSec / Math.LN2
    const relSd = Math.sqrt(0.2 / tauSec) / 2
    expect(Math.abs(r.sigmaPerSqrtSec / sigma - 1)).toBeLessThan(4 * relSd)
  })

  it('forgets in time: after 20 half-lives of σ = 1 following σ = 0.2 the estimate is near 1', () => {
    const rng = createSeededRandom(5)
    const samples: PriceSample[] = [{ tsNs: 0n, price: 100 }]
    let price = 100
    for (let i = 1; i <= 20_000; i++) {
      const sigma = i <= 10_000 ? 0.2 : 1
      price += sigma * Math.sqrt(0.1) * rng.normal()
      samples.push({ tsNs: BigInt(i) * 100_000_000n, price })
    }
    // Half-life 50 s; the last 1000 s are 20 half-lives: residual weight of the old regime 2^-20. Var(σ̂²)/σ⁴ ≈ Δt/τ.
    const r = computeEwmaVolatility({ samples, halfLifeNs: 50n * SEC, returns: 'price' })
    const relSd = Math.sqrt(0.1 / (50 / Math.LN2)) / 2
    expect(Math.abs(r.sigmaPerSqrtSec - 1)).toBeLessThan(4 * relSd)
  })

  it('rejects bad inputs with typed errors', () => {
    const ok = [
      { tsNs: 0n, price: 1 },
      { tsNs: 1n, price: 2 },
    ]
    expect(() => computeEwmaVolatility({ samples: ok, halfLifeNs: 0n, returns: 'price' })).toThrow(
      InvalidParameterError,
    )
    expect(() => computeEwmaVolatility({ samples: ok, halfLifeNs: 1 as never, returns: 'price' })).toThrow(
      /halfLifeNs: 1 /,
    )
    expect(() => computeEwmaVolatility({ samples: ok, halfLifeNs: 1n, returns: 'x' as never })).toThrow(
      InvalidParameterError,
    )
    expect(() => computeEwmaVolatility({ samples: [ok[0]!], halfLifeNs: 1n, returns: 'price' })).toThrow(
      InsufficientDataError,
    )
    expect(() =>
      computeEwmaVolatility({ samples: [ok[0]!, { tsNs: 0n, price: 3 }], halfLifeNs: 1n, returns: 'price' }),
    ).toThrow(InsufficientDataError)
    expect(() => computeEwmaVolatility({ samples: [ok[1]!, ok[0]!], halfLifeNs: 1n, returns: 'price' })).toThrow(
      UnsortedTimestampsError,
    )
    expect(() =>
      computeEwmaVolatility({
        samples: [ok[0]!, { tsNs: 3n, price: Number.POSITIVE_INFINITY }],
        halfLifeNs: 1n,
        returns: 'log',
      }),
    ).toThrow(InvalidSampleError)
  })
})
