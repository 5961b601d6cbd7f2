import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { getSqrtRatioAtTick } from '../math/tickMath.js'
import { applyRangeHalfWidthHint } from './applyRangeHalfWidthHint.js'
import { planRanges } from './planRanges.js'
import type { RangePlannerConfig } from './types.js'

const config: RangePlannerConfig = {
  width: { mode: 'model', baseSpreadMultiplier: 1, limitWidthMultiplier: 1 },
  baseCenter: 'pool',
  limitPlacement: 'adjacent',
  minBaseHalfWidthTicks: 199,
  minLimitWidthTicks: 0,
  baseContainsPrice: true,
}

describe('applyRangeHalfWidthHint', () => {
  it('null (no volatility estimate yet) leaves the config as it is', () => {
    expect(applyRangeHalfWidthHint(config, null)).toBe(config)
  })

  it('a hint narrower than the configured minimum changes nothing', () => {
    // 100 bps → ceil(ln(1.01)/ln(1.0001)) = 100 ticks < 199
    expect(applyRangeHalfWidthHint(config, 100)).toBe(config)
  })

  it('a wider hint becomes the base minimum half-width, in ticks rounded up', () => {
    // 500 bps: ln(1.05)/ln(1.0001) = 487.92… → 488 ticks (by hand)
    const widened = applyRangeHalfWidthHint(config, 500)
    expect(widened.minBaseHalfWidthTicks).toBe(488)
    expect(config.minBaseHalfWidthTicks).toBe(199) // not mutated
  })

  it('the planned base widens with the hint: ±488 ticks around the pool tick, snapped out to the spacing', () => {
    const tick = 200_000
    const pool = { sqrtPriceX96: getSqrtRatioAtTick(tick) + 1n, tick, feePips: 500 }
    const quote = { midPrice: 2000, reservationPrice: 2000, bidDepth: 1, askDepth: 1 }
    const p = {
      quote,
      pool,
      orientation: { baseToken: 'token1' as const, decimals0: 6, decimals1: 18 },
      balances: { amount0Raw: 10_000n * 10n ** 6n, amount1Raw: 5n * 10n ** 18n },
    }
    const narrow = planRanges({ ...p, config })
    const wide = planRanges({ ...p, config: applyRangeHalfWidthHint(config, 500) })
    expect(narrow.base.tickLower).toBe(200_000 - 200) // floor(199 below) to spacing 10
    expect(wide.base.tickLower).toBe(200_000 - 490)
    expect(wide.base.tickUpper).toBe(200_000 + 490)
  })

  it('rejects a hint that is not a positive finite number, naming the field', () => {
    expect(() => applyRangeHalfWidthHint(config, 0)).toThrow(InvalidParameterError)
    expect(() => applyRangeHalfWidthHint(config, Number.NaN)).toThrow(/halfWidthBps/)
  })
})
