import { bench, describe } from 'vitest'
import { simulateAs2008 } from './simulateAs2008.js'

// One AS 2008 configuration (γ = 0.1, both strategies, 1000 paths × 200 steps) against a peer: the same procedure
// written inline the way public reproductions do (formula inline, no validation, an LCG for uniforms), measured in
// the same run. The six runs of the reproduction are three of these.
function peerSimulation(gamma: number, paths: number): number {
  const sigma = 2
  const dt = 0.005
  const steps = 200
  const k = 1.5
  const a = 140
  let seed = 12345
  const uniform = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0
    return (seed >>> 0) / 4294967296
  }
  let total = 0
  for (const symmetric of [false, true]) {
    for (let path = 0; path < paths; path++) {
      let s = 100
      let q = 0
      let x = 0
      for (let i = 0; i < steps; i++) {
        const tau = (steps - i) * dt
        const spread = gamma * sigma * sigma * tau + (2 / gamma) * Math.log(1 + gamma / k)
        const r = symmetric ? s : s - q * gamma * sigma * sigma * tau
        const askDepth = r + spread / 2 - s
        const bidDepth = s - (r - spread / 2)
        if (uniform() < Math.min(1, a * Math.exp(-k * askDepth) * dt)) {
          q -= 1
          x += s + askDepth
        }
        if (uniform() < Math.min(1, a * Math.exp(-k * bidDepth) * dt)) {
          q += 1
          x -= s - bidDepth
        }
        s += uniform() < 0.5 ? sigma * Math.sqrt(dt) : -sigma * Math.sqrt(dt)
      }
      total += x + q * s
    }
  }
  return total
}

let sink = 0

describe('AS 2008 simulation, γ = 0.1, both strategies, 1000 paths', () => {
  bench('simulateAs2008 (validated quotes, xoshiro128**, statistics)', () => {
    sink += simulateAs2008({ gammaPerPrice: 0.1, seed: 2008 }).inventory.meanProfit
  })

  bench('peer: inline procedure (no validation, LCG, no statistics)', () => {
    sink += peerSimulation(0.1, 1000)
  })
})

export { sink }
