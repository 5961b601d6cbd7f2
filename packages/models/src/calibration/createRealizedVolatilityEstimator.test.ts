import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { EstimatorNotReadyError, InvalidSampleError, UnsortedTimestampsError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeRealizedVolatility } from './computeRealizedVolatility.js'
import { createRealizedVolatilityEstimator } from './createRealizedVolatilityEstimator.js'
import type { PriceSample } from './types.js'

const SEC = 1_000_000_000n

function path(seed: number, count: number): PriceSample[] {
  const rng = createSeededRandom(seed)
  const out: PriceSample[] = []
  let tsNs = 1_700_000_000n * SEC
  let price = 2500
  for (let i = 0; i < count; i++) {
    // Gaps from 0 (equal timestamps) to ~2 s, quotes on a 0.005 grid like a Binance mid.
    tsNs += BigInt(Math.floor(rng.uniform() * 4) === 0 ? 0 : Math.round(rng.exponential(2) * 1e9))
    price = Math.round((price + 0.3 * rng.normal()) * 200) / 200
    out.push({ tsNs, price })
  }
  return out
}

describe('createRealizedVolatilityEstimator', () => {
  it('equals the batch function with the same window after every update once ready', () => {
    const samples = path(1, 6000)
    const windowNs = 120n * SEC
    const est = createRealizedVolatilityEstimator({ windowNs, returns: 'price', minIncrements: 10 })
    let readyCount = 0
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!
      const state = est.update(s.tsNs, s.price)
      if (!state.ready || i % 7 !== 0) continue
      readyCount++
      const batch = computeRealizedVolatility({ samples: samples.slice(0, i + 1), returns: 'price', windowNs })
      expect(state.incrementCount).toBe(batch.incrementCount)
      expect(state.elapsedNs).toBe(batch.elapsedNs)
      expect(Math.abs(state.variancePerSec / batch.variancePerSec - 1)).toBeLessThan(1e-9)
    }
    expect(readyCount).toBeGreaterThan(700)
  })

  it('property: equals batch on random sample sequences (log returns)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000_000_000 }), fc.double({ min: 1, max: 1e4, noNaN: true })), {
          minLength: 3,
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 60 }),
        (raw, windowSec) => {
          let tsNs = 0n
          const samples = raw.map(([gap, price]) => {
            tsNs += BigInt(gap)
            return { tsNs, price }
          })
          const windowNs = BigInt(windowSec) * SEC
          const est = createRealizedVolatilityEstimator({ windowNs, returns: 'log', minIncrements: 1 })
          for (const s of samples) est.update(s.tsNs, s.price)
          const state = est.read()
          if (!state.ready) return
          const batch = computeRealizedVolatility({ samples, returns: 'log', windowNs })
          expect(state.incrementCount).toBe(batch.incrementCount)
          expect(state.variancePerSec).toBeCloseTo(batch.variancePerSec, 9)
        },
      ),
      { seed: 42, numRuns: 200 },
    )
  })

  it('reports warm-up explicitly and value() throws before it', () => {
    const est = createRealizedVolatilityEstimator({ windowNs: 10n * SEC, returns: 'price', minIncrements: 3 })
    expect(est.read()).toEqual({
      ready: false,
      reason: 'warmUp',
      incrementCount: 0,
      neededIncrements: 3,
      historyNs: 0n,
      neededHistoryNs: 10n * SEC,
    })
    expect(() => est.value()).toThrow(EstimatorNotReadyError)
    est.update(0n, 100)
    est.update(5n * SEC, 101)
    expect(est.update(9n * SEC, 100)).toMatchObject({ ready: false, incrementCount: 2, historyNs: 9n * SEC })
    // 10 s of history but only 3 increments → ready (3 >= 3).
    const s = est.update(10n * SEC, 102)
    expect(s.ready).toBe(true)
    // Σ Δp² = 1 + 1 + 4 = 6 over 10 s.
    expect(est.value().variancePerSec).toBeCloseTo(0.6, 14)
    expect(() => est.value()).not.toThrow()
  })

  it('rejects bad updates without changing the state', () => {
    expect(() => createRealizedVolatilityEstimator({ windowNs: 0n, returns: 'price', minIncrements: 1 })).toThrow(
      InvalidParameterError,
    )
    expect(() => createRealizedVolatilityEstimator({ windowNs: 1n, returns: 'price', minIncrements: 0 })).toThrow(
      /minIncrements: 0/,
    )
    expect(() =>
      createRealizedVolatilityEstimator({ windowNs: 1n, returns: 'abs' as never, minIncrements: 1 }),
    ).toThrow(/returns: "abs"/)
    const est = createRealizedVolatilityEstimator({ windowNs: 1n, returns: 'price', minIncrements: 1 })
    est.update(10n, 100)
    const before = est.read()
    expect(() => est.update(9n, 100)).toThrow(UnsortedTimestampsError)
    const err = (() => {
      try {
        est.update(11n, -1)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(InvalidSampleError)
    expect(err).toMatchObject({ field: 'price', value: -1, index: 1 })
    expect(est.read()).toEqual(before)
  })
})
