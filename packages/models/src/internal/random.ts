import { InvalidParameterError } from '../errors/parameter.js'

/**
 * A small seeded pseudo-random generator for the deterministic simulations in `@alp/models`.
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, public domain reference at prng.di.unimi.it), 128-bit state,
 * period 2^128 − 1, passes BigCrush. The state is seeded from one 32-bit integer with splitmix32 (a 32-bit
 * variant of Steele–Lea–Flood's SplitMix, constants from Hash Prospector's "lowbias32"), so any seed, including
 * 0, gives a non-zero state. Hand-written (≈ 30 lines) because `@alp/models` has zero runtime dependencies;
 * the first outputs are checked against Vigna's C reference in `random.test.ts`.
 *
 * Not cryptographic. Never used on a live path: the simulation takes the seed as an input, so runs are reproducible.
 */
export type Random = {
  /** Next 32-bit unsigned integer, uniform on [0, 2^32). */
  nextUint32(): number
  /** Next float, uniform on [0, 1) with 2^-32 resolution. */
  nextFloat(): number
}

const TWO_POW_MINUS_32 = 2 ** -32

/** Creates a xoshiro128** generator from an explicit 128-bit state (four 32-bit words, not all zero). */
export function createXoshiro128ssFromState(s0: number, s1: number, s2: number, s3: number): Random {
  let a = s0 >>> 0
  let b = s1 >>> 0
  let c = s2 >>> 0
  let d = s3 >>> 0
  if ((a | b | c | d) === 0)
    throw new InvalidParameterError({ field: 'state', value: [s0, s1, s2, s3], rule: 'not all zero (xoshiro128**)' })
  const nextUint32 = (): number => {
    const m = Math.imul(b, 5)
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0
    const t = b << 9
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = (d << 11) | (d >>> 21)
    return result
  }
  return { nextUint32, nextFloat: () => nextUint32() * TWO_POW_MINUS_32 }
}

/** splitmix32 step: returns [output, nextState]. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0
  let z = next
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
  z ^= z >>> 15
  return [z >>> 0, next]
}

/** Creates a xoshiro128** generator whose state is four splitmix32 outputs of `seed` (any 32-bit integer). */
export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed)) throw new InvalidParameterError({ field: 'seed', value: seed, rule: 'an integer' })
  let state = seed | 0
  const words: number[] = []
  for (let i = 0; i < 4; i++) {
    const [out, next] = splitmix32(state)
    words.push(out)
    state = next
  }
  return createXoshiro128ssFromState(words[0]!, words[1]!, words[2]!, words[3]!)
}
