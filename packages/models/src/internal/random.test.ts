import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { createRandom, createXoshiro128ssFromState } from './random.js'

// Expected values: Vigna's public-domain C reference xoshiro128starstar.c
// (prng.di.unimi.it), compiled with gcc and run with state {1, 2, 3, 4}; the seeded rows add the 32-bit
// splitmix step (z += 0x9e3779b9; z = (z ^ z>>16)·0x21f0aaad; z = (z ^ z>>15)·0x735a2d97; z ^= z>>15) in C.
describe('xoshiro128**', () => {
  it('matches the C reference from state {1,2,3,4}', () => {
    const r = createXoshiro128ssFromState(1, 2, 3, 4)
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ])
  })

  it('matches the C reference when seeded through splitmix32', () => {
    const r = createRandom(2008)
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([
      1896276706, 2385315946, 2499035363, 2439231687,
    ])
    const z = createRandom(0)
    expect([z.nextUint32(), z.nextUint32(), z.nextUint32()]).toEqual([1789933344, 44971166, 2521387044])
  })

  it('nextFloat is in [0, 1) and is the uint32 scaled by 2^-32', () => {
    const a = createRandom(7)
    const b = createRandom(7)
    for (let i = 0; i < 1000; i++) {
      const f = a.nextFloat()
      expect(f).toBeGreaterThanOrEqual(0)
      expect(f).toBeLessThan(1)
      expect(f).toBe(b.nextUint32() / 4294967296)
    }
  })

  it('rejects an all-zero state and a non-integer seed', () => {
    expect(() => createXoshiro128ssFromState(0, 0, 0, 0)).toThrow(InvalidParameterError)
    try {
      createRandom(1.5)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidParameterError)
      expect((error as InvalidParameterError).field).toBe('seed')
      expect((error as InvalidParameterError).value).toBe(1.5)
    }
  })
})
