import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { InsufficientDataError, InvalidSampleError, UnsortedTimestampsError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeRealizedVolatility } from './computeRealizedVolatility.js'
import type { PriceSample } from './types.js'

const SEC = 1_000_000_000n

/** Brownian path in price units with σ per √s, sampled at exponential gaps (mean `meanGapSec`). */
function simulatePath(seed: number, sigmaPerSqrtSec: number, meanGapSec: number, count: number): PriceSample[] {
  const rng = createSeededRandom(seed)
  const samples: PriceSample[] = [{ tsNs: 0n, price: 1000 }]
  let tsNs = 0n
  let price = 1000
  for (let i = 1; i < count; i++) {
    const gapNs = BigInt(Math.max(1, Math.round(rng.exponential(1 / meanGapSec) * 1e9)))
    tsNs += gapNs
    price += sigmaPerSqrtSec * Math.sqrt(Number(gapNs) / 1e9) * rng.normal()
    samples.push({ tsNs, price })
  }
  return samples
}

/** Sampling SD of σ̂ = sqrt(ΣΔp²/ΣΔt) for Brownian increments: Var(ΣΔp²) = 2σ⁴ΣΔt², delta method halves the relative SD. */
function sigmaStandardError(samples: readonly PriceSample[], sigma: number): number {
  let sumDt = 0
  let sumDt2 = 0
  for (let i = 1; i < samples.length; i++) {
    const dt = Number(samples[i]!.tsNs - samples[i - 1]!.tsNs) / 1e9
    sumDt += dt
    sumDt2 += dt * dt
  }
  return (sigma * Math.sqrt(2 * sumDt2)) / sumDt / 2
}

describe('computeRealizedVolatility', () => {
  it('matches a hand computation: (1² + 2²) / 3 s', () => {
    const samples = [
      { tsNs: 0n, price: 100 },
      { tsNs: 1n * SEC, price: 101 },
      { tsNs: 3n * SEC, price: 99 },
    ]
    const r = computeRealizedVolatility({ samples, returns: 'price' })
    expect(r.variancePerSec).toBeCloseTo(5 / 3, 14)
    expect(r.sigmaPerSqrtSec).toBeCloseTo(Math.sqrt(5 / 3), 14)
    expect(r.incrementCount).toBe(2)
    expect(r.elapsedNs).toBe(3n * SEC)
    const l = computeRealizedVolatility({ samples, returns: 'log' })
    expect(l.variancePerSec).toBeCloseTo((Math.log(101 / 100) ** 2 + Math.log(99 / 101) ** 2) / 3, 15)
  })

  it('recovers a known σ from irregularly sampled Brownian motion (4 standard errors)', () => {
    const sigma = 0.5
    const samples = simulatePath(7, sigma, 0.1, 20_000)
    const r = computeRealizedVolatility({ samples, returns: 'price' })
    expect(Math.abs(r.sigmaPerSqrtSec - sigma)).toBeLessThan(4 * sigmaStandardError(samples, sigma))
  })

  it('scales by elapsed time, not sample count: thinning the same path keeps σ (a per-sample σ would drop by √4)', () => {
    const sigma = 0.5
    const samples = simulatePath(11, sigma, 0.05, 40_000)
    const thinned = samples.filter((_, i) => i % 4 === 0)
    const full = computeRealizedVolatility({ samples, returns: 'price' }).sigmaPerSqrtSec
    const sparse = computeRealizedVolatility({ samples: thinned, returns: 'price' }).sigmaPerSqrtSec
    expect(Math.abs(full - sigma)).toBeLessThan(4 * sigmaStandardError(samples, sigma))
    expect(Math.abs(sparse - sigma)).toBeLessThan(4 * sigmaStandardError(thinned, sigma))
  })

  it('recovers a known log-return σ (geometric path)', () => {
    const sigmaLog = 0.002
    const rng = createSeededRandom(3)
    const samples: PriceSample[] = [{ tsNs: 0n, price: 2000 }]
    let lnP = Math.log(2000)
    for (let i = 1; i <= 20_000; i++) {
      lnP += sigmaLog * Math.sqrt(0.25) * rng.normal()
      samples.push({ tsNs: BigInt(i) * 250_000_000n, price: Math.exp(lnP) })
    }
    const r = computeRealizedVolatility({ samples, returns: 'log' })
    // Regular grid: relative SD of σ̂ = 1/√(2n).
    expect(Math.abs(r.sigmaPerSqrtSec / sigmaLog - 1)).toBeLessThan(4 / Math.sqrt(2 * 20_000))
  })

  it('uses only samples with tsNs >= last − windowNs', () => {
    const samples = [
      { tsNs: 0n, price: 50 },
      { tsNs: 1n * SEC, price: 100 },
      { tsNs: 2n * SEC, price: 101 },
      { tsNs: 4n * SEC, price: 99 },
    ]
    const r = computeRealizedVolatility({ samples, returns: 'price', windowNs: 3n * SEC })
    expect(r.variancePerSec).toBeCloseTo(5 / 3, 14)
    expect(r.incrementCount).toBe(2)
  })

  it('rejects bad inputs with typed errors naming field, value and index', () => {
    const ok = [
      { tsNs: 0n, price: 1 },
      { tsNs: 1n, price: 2 },
    ]
    expect(() => computeRealizedVolatility({ samples: [], returns: 'price' })).toThrow(InsufficientDataError)
    expect(() => computeRealizedVolatility({ samples: [ok[0]!], returns: 'price' })).toThrow(InsufficientDataError)
    expect(() =>
      computeRealizedVolatility({
        samples: [
          { tsNs: 5n, price: 1 },
          { tsNs: 5n, price: 2 },
        ],
        returns: 'price',
      }),
    ).toThrow(/elapsed/)
    expect(() => computeRealizedVolatility({ samples: 'x' as never, returns: 'price' })).toThrow(InvalidParameterError)
    expect(() => computeRealizedVolatility({ samples: ok, returns: 'pct' as never })).toThrow(InvalidParameterError)
    expect(() => computeRealizedVolatility({ samples: ok, returns: 'price', windowNs: 0n })).toThrow(
      InvalidParameterError,
    )
    const nan = (() => {
      try {
        computeRealizedVolatility({ samples: [ok[0]!, { tsNs: 2n, price: Number.NaN }], returns: 'price' })
      } catch (e) {
        return e
      }
    })()
    expect(nan).toBeInstanceOf(InvalidSampleError)
    expect(nan).toMatchObject({ field: 'samples[1].price', index: 1, code: 'INVALID_SAMPLE' })
    expect((nan as Error).message).toContain('NaN')
    expect(() => computeRealizedVolatility({ samples: [ok[0]!, { tsNs: 2n, price: -3 }], returns: 'price' })).toThrow(
      /samples\[1\]\.price: -3/,
    )
    const unsorted = (() => {
      try {
        computeRealizedVolatility({ samples: [ok[1]!, { tsNs: 0n, price: 1 }], returns: 'price' })
      } catch (e) {
        return e
      }
    })()
    expect(unsorted).toBeInstanceOf(UnsortedTimestampsError)
    expect(unsorted).toMatchObject({ field: 'samples[1].tsNs', index: 1, tsNs: 0n, previousTsNs: 1n })
    expect(() => computeRealizedVolatility({ samples: [{ tsNs: 1 as never, price: 1 }], returns: 'price' })).toThrow(
      InvalidSampleError,
    )
  })
})
