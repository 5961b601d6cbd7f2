import { getSqrtRatioAtTick, getTickAtSqrtRatio } from '@alp/uniswap-lp'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { tickAtSqrtRatioFast } from './tickAtSqrtRatioFast.js'

const MIN = 4295128739n
const MAX = 1461446703485210103287273052203988822378723970342n

describe('tickAtSqrtRatioFast equals TickMath.getTickAtSqrtRatio', () => {
  it('on random prices across the whole range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN, max: MAX - 1n }), (sqrtPriceX96) => {
        expect(tickAtSqrtRatioFast(sqrtPriceX96)).toBe(getTickAtSqrtRatio(sqrtPriceX96))
      }),
      { numRuns: 2000, seed: 11 },
    )
  })

  it('at and next to every tick boundary of a random sample of ticks (and the extremes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -887271, max: 887271 }), (tick) => {
        const at = getSqrtRatioAtTick(tick)
        for (const p of [at - 1n, at, at + 1n]) expect(tickAtSqrtRatioFast(p)).toBe(getTickAtSqrtRatio(p))
      }),
      { numRuns: 2000, seed: 12 },
    )
    expect(tickAtSqrtRatioFast(MIN)).toBe(-887272)
    expect(tickAtSqrtRatioFast(MAX - 1n)).toBe(887271)
    expect(() => tickAtSqrtRatioFast(MAX)).toThrow(/getTickAtSqrtRatio/)
  })
})
