/**
 * Deterministic random numbers for the calibration tests (written here, independent of the code under test).
 * mulberry32: a 32-bit state PRNG (Tommy Ettinger's public-domain design), uniform in [0, 1).
 */
export type SeededRandom = {
  /** Uniform in (0, 1) (never exactly 0, so ln is safe). */
  uniform(): number
  /** Standard normal, Box–Muller. */
  normal(): number
  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number
}

export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  function uniform(): number {
    let u = next()
    while (u === 0) u = next()
    return u
  }
  return {
    uniform,
    normal(): number {
      return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
    },
    exponential(rate: number): number {
      return -Math.log(uniform()) / rate
    },
  }
}
