import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { InvalidPriceError } from '../errors/token.js'
import {
  nearestTickForPrice,
  type PriceOrientation,
  priceToTick,
  tickToPrice,
  tickToPriceFraction,
} from './priceTick.js'
import { getSqrtRatioAtTick, MAX_TICK, MIN_TICK } from './tickMath.js'

const usdcWeth: PriceOrientation = { baseToken: 'token1', decimals0: 6, decimals1: 18 } // USD per ETH
const sameDecimals: PriceOrientation = { baseToken: 'token0', decimals0: 18, decimals1: 18 }

describe('exact tick ↔ price round trip', () => {
  it('priceToTick(tickToPrice(t)) is not a round trip: it floors the rounded double (the reason for this API)', () => {
    let off = 0
    for (let t = -1000; t < 1000; t++) if (priceToTick(tickToPrice(t, sameDecimals), sameDecimals) !== t) off++
    expect(off).toBeGreaterThan(500)
  })

  it('nearestTickForPrice(tickToPrice(t)) === t for EVERY tick in [MIN_TICK, MAX_TICK] (USDC/WETH; every 50th tick for 18/18)', () => {
    // 1,774,545 ticks; tickToPrice (exact bigint ratio, ~3.5 µs) dominates: a tight loop, no allocation in the check.
    for (const [orientation, step] of [
      [usdcWeth, 1],
      [sameDecimals, 50],
    ] as const) {
      let first: number | undefined
      let count = 0
      for (let t = MIN_TICK; t <= MAX_TICK; t += step) {
        if (nearestTickForPrice(tickToPrice(t, orientation), orientation) !== t) {
          first ??= t
          count++
        }
      }
      expect({ orientation, first, count }).toEqual({ orientation, first: undefined, count: 0 })
    }
  }, 120_000)

  it('priceToTick(tickToPriceFraction(t)) === t exactly (every 101st tick and both ends)', () => {
    const bad: number[] = []
    for (let t = MIN_TICK; t <= MAX_TICK; t += t > MAX_TICK - 8 || t < MIN_TICK + 8 ? 1 : 101) {
      const fraction = tickToPriceFraction(t, usdcWeth)
      if (nearestTickForPrice(fraction, usdcWeth) !== t) bad.push(t)
      // MAX_TICK's ratio is MAX_SQRT_RATIO, outside getTickAtSqrtRatio's domain [MIN, MAX): priceToTick throws there.
      if (t < MAX_TICK && priceToTick(fraction, usdcWeth) !== t) bad.push(t)
    }
    expect(bad).toEqual([])
  }, 60_000)

  it('tickToPriceFraction is the exact price: ratio² / 2^192 scaled (hand check at tick 0 and 200311)', () => {
    // Tick 0: ratio = 2^96 exactly, raw price 1; USD per ETH = 1e18 / (1 · 1e6) = 1e12.
    const zero = tickToPriceFraction(0, usdcWeth)
    expect(zero.numerator / zero.denominator).toBe(10n ** 12n)
    expect(zero.numerator % zero.denominator).toBe(0n)
    const r = getSqrtRatioAtTick(200311)
    expect(tickToPriceFraction(200311, usdcWeth)).toEqual({
      numerator: (1n << 192n) * 10n ** 18n,
      denominator: r * r * 10n ** 6n,
    })
  })

  it('nearest tick: a price just below and above the log midpoint between two ticks (exact tie-break)', () => {
    // Raw price between tick 0 (1) and tick 1 (1.0001): the log midpoint is sqrt(1.0001) = 1.000049998750062...
    // sameDecimals has base token0, so human price = raw price.
    expect(nearestTickForPrice('1.00004999', sameDecimals)).toBe(0)
    expect(nearestTickForPrice('1.00005', sameDecimals)).toBe(1)
    expect(nearestTickForPrice('1.0000499987', sameDecimals)).toBe(0)
    expect(nearestTickForPrice('1.0000499988', sameDecimals)).toBe(1)
    expect(priceToTick('1.0000499988', sameDecimals)).toBe(0)
    // USD per ETH 2000 → raw 5e8: ln(5e8)/ln(1.0001) = 200311.4…: floor 200311; nearest 200311 as well.
    expect(nearestTickForPrice(2000, usdcWeth)).toBe(priceToTick(2000, usdcWeth))
  })

  it('rejects bad prices', () => {
    expect(() => nearestTickForPrice(0, usdcWeth)).toThrow(InvalidPriceError)
    expect(() => nearestTickForPrice(Number.NaN, usdcWeth)).toThrow(InvalidPriceError)
    expect(() => nearestTickForPrice('-1', usdcWeth)).toThrow(InvalidPriceError)
    expect(() => nearestTickForPrice({ numerator: 0n, denominator: 1n }, usdcWeth)).toThrow(InvalidParameterError)
    expect(() => nearestTickForPrice('1e-200', sameDecimals)).toThrow(InvalidParameterError)
  })
})
