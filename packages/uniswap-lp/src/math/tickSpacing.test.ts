import { TICK_SPACINGS as SDK_TICK_SPACINGS, nearestUsableTick as sdkNearestUsableTick } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UnknownFeeTierError } from '../errors/feeTier.js'
import { TickNotAlignedError, TickOrderError, TickOutOfRangeError } from '../errors/tick.js'
import { MAX_TICK, MIN_TICK } from './tickMath.js'
import {
  assertValidRange,
  ceilTick,
  feeFractionToPips,
  floorTick,
  getTickSpacing,
  maxUsableTick,
  minUsableTick,
  nearestUsableTick,
} from './tickSpacing.js'

describe('fee tier → tick spacing (v3 factory feeAmountTickSpacing)', () => {
  it('maps every tier', () => {
    expect(getTickSpacing(100)).toBe(1)
    expect(getTickSpacing(500)).toBe(10)
    expect(getTickSpacing(3000)).toBe(60)
    expect(getTickSpacing(10000)).toBe(200)
    for (const fee of [100, 500, 3000, 10000] as const) expect(getTickSpacing(fee)).toBe(SDK_TICK_SPACINGS[fee])
  })
  it('converts the seed FEE_TIER fraction 0.0005 to 500 pips', () => {
    expect(feeFractionToPips(0.0005)).toBe(500)
    expect(feeFractionToPips(0.003)).toBe(3000)
    expect(feeFractionToPips(0.01)).toBe(10000)
    expect(feeFractionToPips(0.0001)).toBe(100)
  })
  it('rejects unknown tiers with a typed error naming the value', () => {
    expect(() => getTickSpacing(2500)).toThrow(UnknownFeeTierError)
    expect(() => getTickSpacing(2500)).toThrow(/feePips = 2500/)
    expect(() => feeFractionToPips(0.02)).toThrow(UnknownFeeTierError)
    expect(() => feeFractionToPips(Number.NaN)).toThrow(UnknownFeeTierError)
  })
})

describe('floorTick / ceilTick / nearestUsableTick', () => {
  it('floor toward −∞ and ceil toward +∞ for negative ticks (Charm _floor)', () => {
    expect(floorTick(-5, 10)).toBe(-10)
    expect(floorTick(-10, 10)).toBe(-10)
    expect(floorTick(-61, 60)).toBe(-120)
    expect(floorTick(5, 10)).toBe(0)
    expect(ceilTick(-5, 10)).toBe(0)
    expect(ceilTick(-61, 60)).toBe(-60)
    expect(ceilTick(61, 60)).toBe(120)
    expect(ceilTick(60, 60)).toBe(60)
    expect(Object.is(floorTick(-0, 10), 0)).toBe(true)
    expect(Object.is(ceilTick(-5, 10), 0)).toBe(true)
  })
  it('usable bounds per spacing', () => {
    expect(minUsableTick(60)).toBe(-887220)
    expect(maxUsableTick(60)).toBe(887220)
    expect(minUsableTick(200)).toBe(-887200)
    expect(maxUsableTick(1)).toBe(MAX_TICK)
  })
  it('floor/ceil bracket the tick and are aligned', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK }), fc.constantFrom(1, 10, 60, 200), (tick, spacing) => {
        const f = floorTick(tick, spacing)
        const c = ceilTick(tick, spacing)
        expect(f % spacing === 0 && c % spacing === 0).toBe(true)
        expect(f <= tick && tick <= c && c - f <= spacing && tick - f < spacing).toBe(true)
      }),
    )
  })
  it('nearestUsableTick equals @uniswap/v3-sdk', () => {
    expect(nearestUsableTick(MIN_TICK, 60)).toBe(-887220)
    expect(nearestUsableTick(MAX_TICK, 60)).toBe(887220)
    expect(nearestUsableTick(5, 10)).toBe(10) // ties toward +∞
    expect(nearestUsableTick(-5, 10)).toBe(0)
    fc.assert(
      fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK }), fc.constantFrom(1, 10, 60, 200), (tick, spacing) => {
        expect(nearestUsableTick(tick, spacing)).toBe(sdkNearestUsableTick(tick, spacing) + 0)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('assertValidRange', () => {
  it('accepts an aligned, ordered range', () => {
    expect(() => assertValidRange(-120, 60, 60)).not.toThrow()
  })
  it('rejects a tick not aligned to the spacing, naming the field', () => {
    expect(() => assertValidRange(-121, 60, 60)).toThrow(TickNotAlignedError)
    expect(() => assertValidRange(-120, 61, 60)).toThrow(/tickUpper = 61 is not a multiple of tickSpacing 60/)
  })
  it('rejects lower >= upper', () => {
    expect(() => assertValidRange(60, 60, 60)).toThrow(TickOrderError)
    expect(() => assertValidRange(120, 60, 60)).toThrow(TickOrderError)
  })
  it('rejects ticks outside the pool range', () => {
    expect(() => assertValidRange(MIN_TICK - 1, 0, 1)).toThrow(TickOutOfRangeError)
    expect(() => assertValidRange(0, MAX_TICK + 1, 1)).toThrow(TickOutOfRangeError)
  })
})
