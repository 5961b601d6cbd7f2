import { describe, expect, it } from 'vitest'
import { flipTick, nextInitializedTickWithinOneWord, type TickBitmap } from './tickBitmap.js'

// Vectors from v3-core test/TickBitmap.spec.ts ("#nextInitializedTickWithinOneWord"): ticks -200, -55, -4, 70, 78, 84,
// 139, 240, 535 initialized with tickSpacing 1.
function bitmap(): TickBitmap {
  const b: TickBitmap = new Map()
  for (const t of [-200, -55, -4, 70, 78, 84, 139, 240, 535]) flipTick(b, t, 1)
  return b
}

describe('nextInitializedTickWithinOneWord (v3-core vectors)', () => {
  it.each([
    [78, 84, true],
    [-55, -4, true],
    [77, 78, true],
    [-56, -55, true],
    [255, 511, false],
    [-257, -200, true],
    [383, 511, false],
    [340, 511, false],
    [508, 511, false],
  ])('lte = false from %i → %i (initialized %s)', (tick, next, initialized) => {
    expect(nextInitializedTickWithinOneWord(bitmap(), tick, 1, false)).toEqual({ tickNext: next, initialized })
  })

  it.each([
    [78, 78, true],
    [79, 78, true],
    [258, 256, false],
    [256, 256, false],
    [72, 70, true],
    [-257, -512, false],
    [1023, 768, false],
    [900, 768, false],
  ])('lte = true from %i → %i (initialized %s)', (tick, next, initialized) => {
    expect(nextInitializedTickWithinOneWord(bitmap(), tick, 1, true)).toEqual({ tickNext: next, initialized })
  })

  it('finds a tick initialized later at the word boundary (329 from 456)', () => {
    const b = bitmap()
    flipTick(b, 329, 1)
    expect(nextInitializedTickWithinOneWord(b, 456, 1, true)).toEqual({ tickNext: 329, initialized: true })
  })

  it('flipping twice clears the bit; unaligned ticks are rejected', () => {
    const b: TickBitmap = new Map()
    flipTick(b, -230, 10)
    flipTick(b, -230, 10)
    expect(b.size).toBe(0)
    expect(() => flipTick(b, 15, 10)).toThrow(/TickBitmap.flipTick/)
  })
})
