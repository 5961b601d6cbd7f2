import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { TickOutOfRangeError } from '../errors/tick.js'
import { getCharmRanges } from './getCharmRanges.js'

describe('getCharmRanges (Charm AlphaVault: base [X − B, X + TS + B], bid [X − L, X], ask [X + TS, X + TS + L])', () => {
  it('negative tick that is not a multiple of the spacing floors toward −∞', () => {
    // tick −1005, TS 60: −1005/60 = −16.75 → floor −17 → X = −1020 (truncation toward 0 would give −960).
    const r = getCharmRanges({ tick: -1005, tickSpacing: 60, baseThresholdTicks: 600, limitThresholdTicks: 1200 })
    expect(r.flooredTick).toBe(-1020)
    expect(r.base).toEqual({ tickLower: -1620, tickUpper: -360 }) // −1020 − 600, −1020 + 60 + 600
    expect(r.limitBelow).toEqual({ tickLower: -2220, tickUpper: -1020 }) // −1020 − 1200, −1020
    expect(r.limitAbove).toEqual({ tickLower: -960, tickUpper: 240 }) // −1020 + 60, −960 + 1200
  })
  it('a negative tick that is a multiple stays put; a positive tick floors down', () => {
    expect(
      getCharmRanges({ tick: -1020, tickSpacing: 60, baseThresholdTicks: 60, limitThresholdTicks: 60 }).flooredTick,
    ).toBe(-1020)
    const r = getCharmRanges({ tick: 7, tickSpacing: 10, baseThresholdTicks: 100, limitThresholdTicks: 50 })
    expect(r.base).toEqual({ tickLower: -100, tickUpper: 110 })
    expect(r.limitBelow).toEqual({ tickLower: -50, tickUpper: 0 })
    expect(r.limitAbove).toEqual({ tickLower: 10, tickUpper: 60 })
  })
  it('bidUpper ≤ tick < askLower for every tick and spacing', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800000, max: 800000 }), fc.constantFrom(1, 10, 60, 200), (tick, ts) => {
        const r = getCharmRanges({ tick, tickSpacing: ts, baseThresholdTicks: ts * 10, limitThresholdTicks: ts * 5 })
        expect(r.limitBelow.tickUpper <= tick && tick < r.limitAbove.tickLower).toBe(true)
        expect(r.base.tickLower <= tick && tick < r.base.tickUpper).toBe(true)
      }),
    )
  })
  it('rejects thresholds that are not positive multiples of the spacing', () => {
    expect(() => getCharmRanges({ tick: 0, tickSpacing: 60, baseThresholdTicks: 50, limitThresholdTicks: 60 })).toThrow(
      InvalidParameterError,
    )
    expect(() => getCharmRanges({ tick: 0, tickSpacing: 60, baseThresholdTicks: 60, limitThresholdTicks: 0 })).toThrow(
      /limitThresholdTicks/,
    )
  })
  it('rejects a tick outside [MIN_TICK, MAX_TICK] (v3-core TickMath: ±887272), naming tick', () => {
    for (const tick of [1e9, 887273, -887273]) {
      const call = () => getCharmRanges({ tick, tickSpacing: 60, baseThresholdTicks: 60, limitThresholdTicks: 60 })
      expect(call).toThrow(TickOutOfRangeError)
      expect(call).toThrow(expect.objectContaining({ field: 'tick', value: tick }))
    }
  })
  it('never returns a tick beyond MAX_TICK or MIN_TICK: a threshold too wide at this tick is named', () => {
    // tick 887172, TS 60: X = 887160 (60 · 14786). The base upper X + 60 + B ≤ 887272 allows B ≤ 52 → no multiple of 60.
    const high = () =>
      getCharmRanges({ tick: 887172, tickSpacing: 60, baseThresholdTicks: 600, limitThresholdTicks: 60 })
    expect(high).toThrow(expect.objectContaining({ name: 'InvalidParameterError', field: 'baseThresholdTicks' }))
    // tick −887200, TS 10: X = −887200; the limit lower X − L ≥ −887272 allows L ≤ 72, so L = 70 fits and 80 does not.
    const fits = getCharmRanges({ tick: -887200, tickSpacing: 10, baseThresholdTicks: 70, limitThresholdTicks: 70 })
    expect(fits.limitBelow).toEqual({ tickLower: -887270, tickUpper: -887200 })
    expect(fits.base).toEqual({ tickLower: -887270, tickUpper: -887120 })
    const low = () =>
      getCharmRanges({ tick: -887200, tickSpacing: 10, baseThresholdTicks: 70, limitThresholdTicks: 80 })
    expect(low).toThrow(expect.objectContaining({ field: 'limitThresholdTicks', value: 80 }))
  })
})
