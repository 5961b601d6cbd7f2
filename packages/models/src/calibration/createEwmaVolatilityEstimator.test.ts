import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { EstimatorNotReadyError, InvalidSampleError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeEwmaVolatility } from './computeEwmaVolatility.js'
import { createEwmaVolatilityEstimator } from './createEwmaVolatilityEstimator.js'
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

describe('createEwmaVolatilityEstimator', () => {
  it('is bit-identical to computeEwmaVolatility on every prefix', () => {
    const samples = path(2, 3000)
    const halfLifeNs = 30n * SEC
    const est = createEwmaVolatilityEstimator({ halfLifeNs, returns: 'price', warmUpNs: 0n, minIncrements: 1 })
    for (let i = 0; i < samples.length; i++) {
      const state = est.update(samples[i]!.tsNs, samples[i]!.price)
      if (i === 0 || samples[i]!.tsNs === samples[0]!.tsNs) {
        expect(state.ready).toBe(false)
        continue
      }
      const batch = computeEwmaVolatility({ samples: samples.slice(0, i + 1), halfLifeNs, returns: 'price' })
      expect(state).toEqual({ ready: true, ...batch })
    }
  })

  it('waits for warmUpNs and minIncrements, then reports the same value as batch', () => {
    const est = createEwmaVolatilityEstimator({
      halfLifeNs: SEC,
      returns: 'price',
      warmUpNs: 3n * SEC,
      minIncrements: 2,
    })
    expect(est.update(0n, 100)).toMatchObject({ ready: false, reason: 'warmUp', incrementCount: 0 })
    expect(est.update(1n * SEC, 101)).toMatchObject({ ready: false, reason: 'warmUp', historyNs: SEC })
    expect(() => est.value()).toThrow(EstimatorNotReadyError)
    const s = est.update(3n * SEC, 99)
    expect(s.ready).toBe(true)
    expect(est.value().variancePerSec).toBeCloseTo(13 / 7, 13)
  })

  it('with warmUpNs = 0 still refuses zero elapsed time', () => {
    const est = createEwmaVolatilityEstimator({ halfLifeNs: SEC, returns: 'price', warmUpNs: 0n, minIncrements: 1 })
    est.update(5n, 100)
    expect(est.update(5n, 101)).toMatchObject({ ready: false, reason: 'zeroElapsedTime' })
  })

  it('validates its parameters', () => {
    expect(() =>
      createEwmaVolatilityEstimator({ halfLifeNs: -1n, returns: 'price', warmUpNs: 0n, minIncrements: 1 }),
    ).toThrow(/halfLifeNs: -1n/)
    expect(() =>
      createEwmaVolatilityEstimator({ halfLifeNs: 1n, returns: 'price', warmUpNs: -1n, minIncrements: 1 }),
    ).toThrow(/warmUpNs: -1n/)
    expect(() =>
      createEwmaVolatilityEstimator({ halfLifeNs: 1n, returns: 'price', warmUpNs: 0n, minIncrements: 1.5 }),
    ).toThrow(InvalidParameterError)
    const est = createEwmaVolatilityEstimator({ halfLifeNs: 1n, returns: 'log', warmUpNs: 0n, minIncrements: 1 })
    expect(() => est.update(0n, 0)).toThrow(InvalidSampleError)
  })
})
