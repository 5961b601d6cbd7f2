import { TickMath } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SqrtPriceOutOfRangeError, TickOutOfRangeError } from '../errors/tick.js'
import { fromJsbi, toJsbi } from '../internal/jsbi.js'
import {
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
} from './tickMath.js'

describe('TickMath constants (v3-core TickMath.sol)', () => {
  it('pins the tick and ratio bounds', () => {
    expect(MIN_TICK).toBe(-887272)
    expect(MAX_TICK).toBe(887272)
    expect(MIN_SQRT_RATIO).toBe(4295128739n)
    expect(MAX_SQRT_RATIO).toBe(1461446703485210103287273052203988822378723970342n)
  })
})

describe('getSqrtRatioAtTick', () => {
  it('matches the v3-core vectors', () => {
    expect(getSqrtRatioAtTick(MIN_TICK)).toBe(4295128739n)
    expect(getSqrtRatioAtTick(MIN_TICK + 1)).toBe(4295343490n)
    expect(getSqrtRatioAtTick(MAX_TICK - 1)).toBe(1461373636630004318706518188784493106690254656249n)
    expect(getSqrtRatioAtTick(MAX_TICK)).toBe(1461446703485210103287273052203988822378723970342n)
    expect(getSqrtRatioAtTick(0)).toBe(1n << 96n) // sqrt(1.0001^0) = 1.0 in Q64.96
  })

  it('equals @uniswap/v3-sdk on random ticks across the full range', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK }), (tick) => {
        expect(getSqrtRatioAtTick(tick)).toBe(fromJsbi(TickMath.getSqrtRatioAtTick(tick)))
      }),
      { numRuns: 2000 },
    )
  })

  it('is within 1e-12 relative of sqrt(1.0001^tick) (float reference)', () => {
    for (const tick of [-50000, -1, 1, 12345, 50000]) {
      const expected = Math.sqrt(1.0001 ** tick) * 2 ** 96
      expect(Math.abs(Number(getSqrtRatioAtTick(tick)) / expected - 1)).toBeLessThan(1e-12)
    }
  })

  it('rejects ticks outside the range or not integers', () => {
    expect(() => getSqrtRatioAtTick(MIN_TICK - 1)).toThrow(TickOutOfRangeError)
    expect(() => getSqrtRatioAtTick(MAX_TICK + 1)).toThrow(TickOutOfRangeError)
    expect(() => getSqrtRatioAtTick(1.5)).toThrow(TickOutOfRangeError)
    expect(() => getSqrtRatioAtTick(Number.NaN)).toThrow(TickOutOfRangeError)
  })
})

describe('getTickAtSqrtRatio', () => {
  it('matches the v3-core vectors', () => {
    expect(getTickAtSqrtRatio(MIN_SQRT_RATIO)).toBe(MIN_TICK)
    expect(getTickAtSqrtRatio(4295343490n)).toBe(MIN_TICK + 1)
    expect(getTickAtSqrtRatio(1461373636630004318706518188784493106690254656249n)).toBe(MAX_TICK - 1)
    expect(getTickAtSqrtRatio(MAX_SQRT_RATIO - 1n)).toBe(MAX_TICK - 1)
  })

  it('equals @uniswap/v3-sdk on random sqrt prices across the full range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_SQRT_RATIO, max: MAX_SQRT_RATIO - 1n }), (sqrtPriceX96) => {
        expect(getTickAtSqrtRatio(sqrtPriceX96)).toBe(TickMath.getTickAtSqrtRatio(toJsbi(sqrtPriceX96)))
      }),
      { numRuns: 2000 },
    )
  })

  it('equals @uniswap/v3-sdk on sqrt prices at and next to tick boundaries', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TICK + 1, max: MAX_TICK - 1 }), fc.constantFrom(-1n, 0n, 1n), (tick, d) => {
        const sqrtPriceX96 = getSqrtRatioAtTick(tick) + d
        expect(getTickAtSqrtRatio(sqrtPriceX96)).toBe(TickMath.getTickAtSqrtRatio(toJsbi(sqrtPriceX96)))
      }),
      { numRuns: 2000 },
    )
  })

  it('is the greatest tick whose ratio is <= the price', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_SQRT_RATIO, max: MAX_SQRT_RATIO - 1n }), (sqrtPriceX96) => {
        const tick = getTickAtSqrtRatio(sqrtPriceX96)
        expect(getSqrtRatioAtTick(tick) <= sqrtPriceX96).toBe(true)
        if (tick < MAX_TICK) expect(getSqrtRatioAtTick(tick + 1) > sqrtPriceX96).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('rejects prices outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO)', () => {
    expect(() => getTickAtSqrtRatio(MIN_SQRT_RATIO - 1n)).toThrow(SqrtPriceOutOfRangeError)
    expect(() => getTickAtSqrtRatio(MAX_SQRT_RATIO)).toThrow(SqrtPriceOutOfRangeError)
  })
})
