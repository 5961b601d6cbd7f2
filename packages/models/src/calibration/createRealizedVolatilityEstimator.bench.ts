import { bench, describe } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { computeRealizedVolatility } from './computeRealizedVolatility.js'
import { createRealizedVolatilityEstimator } from './createRealizedVolatilityEstimator.js'
import type { PriceSample } from './types.js'

// 5 000 mids ~100 ms apart, 60 s rolling window (~600 samples in it); the value is read after every update.
const rng = createSeededRandom(1)
const samples: PriceSample[] = []
let tsNs = 0n
let price = 2500
for (let i = 0; i < 5000; i++) {
  tsNs += BigInt(Math.round(rng.exponential(10) * 1e9))
  price += 0.1 * rng.normal()
  samples.push({ tsNs, price })
}
const windowNs = 60_000_000_000n

describe('rolling realized volatility: 5 000 updates, value read after each', () => {
  bench('createRealizedVolatilityEstimator (streaming, O(1) per update)', () => {
    const est = createRealizedVolatilityEstimator({ windowNs, returns: 'price', minIncrements: 10 })
    for (const s of samples) est.update(s.tsNs, s.price)
  })

  bench('naive peer: computeRealizedVolatility over the window after each update', () => {
    const window: PriceSample[] = []
    let head = 0
    for (const s of samples) {
      window.push(s)
      while (window[head]!.tsNs < s.tsNs - windowNs) head++
      if (window.length - head >= 2) computeRealizedVolatility({ samples: window.slice(head), returns: 'price' })
    }
  })
})
