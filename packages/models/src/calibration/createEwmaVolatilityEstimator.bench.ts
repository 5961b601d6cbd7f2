import { bench, describe } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { computeEwmaVolatility } from './computeEwmaVolatility.js'
import { createEwmaVolatilityEstimator } from './createEwmaVolatilityEstimator.js'
import type { PriceSample } from './types.js'

// 2 000 mids ~100 ms apart, half-life 30 s; the value is read after every update.
const rng = createSeededRandom(2)
const samples: PriceSample[] = []
let tsNs = 0n
let price = 2500
for (let i = 0; i < 2000; i++) {
  tsNs += BigInt(Math.round(rng.exponential(10) * 1e9))
  price += 0.1 * rng.normal()
  samples.push({ tsNs, price })
}
const halfLifeNs = 30_000_000_000n

describe('EWMA volatility: 2 000 updates, value read after each', () => {
  bench('createEwmaVolatilityEstimator (streaming, O(1) per update)', () => {
    const est = createEwmaVolatilityEstimator({ halfLifeNs, returns: 'price', warmUpNs: 0n, minIncrements: 1 })
    for (const s of samples) est.update(s.tsNs, s.price)
  })

  bench('naive peer: computeEwmaVolatility over the whole history after each update', () => {
    for (let i = 2; i <= samples.length; i++)
      computeEwmaVolatility({ samples: samples.slice(0, i), halfLifeNs, returns: 'price' })
  })
})
