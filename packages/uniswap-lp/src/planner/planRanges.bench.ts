import { bench, describe } from 'vitest'
import { priceToSqrtPriceX96 } from '../math/priceTick.js'
import { getTickAtSqrtRatio } from '../math/tickMath.js'
import { getCharmRanges } from './getCharmRanges.js'
import { planRanges } from './planRanges.js'
import type { PlanRangesParameters } from './types.js'

const orientation = { baseToken: 'token1' as const, decimals0: 6, decimals1: 18 }
const sqrtPriceX96 = priceToSqrtPriceX96('2000', orientation)
const tick = getTickAtSqrtRatio(sqrtPriceX96)
const base: PlanRangesParameters = {
  quote: { midPrice: 2000, reservationPrice: 1990, bidDepth: 15, askDepth: 5 },
  pool: { sqrtPriceX96, tick, feePips: 500 },
  orientation,
  balances: { amount0Raw: 2500n * 10n ** 6n, amount1Raw: 10n ** 18n },
  config: {
    width: { mode: 'model', baseSpreadMultiplier: 1, limitWidthMultiplier: 1 },
    baseCenter: 'reservation',
    limitPlacement: 'adjacent',
    minBaseHalfWidthTicks: 199,
    minLimitWidthTicks: 10,
    baseContainsPrice: true,
  },
}
// 64 different reservation prices so that no result can be cached.
const quotes = Array.from({ length: 64 }, (_, i) => ({ ...base.quote, reservationPrice: 1960 + i }))

describe('range planning', () => {
  bench('planRanges (model widths, base + limit, exact amounts)', () => {
    for (const quote of quotes) planRanges({ ...base, quote })
  })
  bench('getCharmRanges (tick arithmetic only, the lower bound)', () => {
    for (let i = 0; i < 64; i++)
      getCharmRanges({ tick: tick + i, tickSpacing: 10, baseThresholdTicks: 200, limitThresholdTicks: 400 })
  })
})
