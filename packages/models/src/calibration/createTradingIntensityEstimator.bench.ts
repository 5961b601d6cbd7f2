import { bench, describe } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { computeArrivalDepths } from './computeArrivalDepths.js'
import { createTradingIntensityEstimator } from './createTradingIntensityEstimator.js'
import { fitTradingIntensity } from './fitTradingIntensity.js'
import type { PriceSample, TradeSample } from './types.js'

// 2 000 trades and 4 000 mids over ~400 s, 60 s rolling window, 20-point depth grid; the fit is read after every trade.
const rng = createSeededRandom(3)
const TICK = 0.01
const GRID = Array.from({ length: 20 }, (_, i) => i + 1.5)
type Event = { mid: PriceSample } | { trade: TradeSample }
const events: Event[] = []
let midTicks = 250_000.5
let ms = 0
for (let i = 0; i < 6000; i++) {
  ms += 1 + Math.floor(rng.exponential(1 / 66))
  const tsNs = BigInt(ms) * 1_000_000n
  if (i % 3 !== 2) {
    midTicks += rng.uniform() < 0.5 ? -1 : 1
    events.push({ mid: { tsNs, price: midTicks * TICK } })
  } else {
    const side = rng.uniform() < 0.5 ? 'buy' : 'sell'
    const levels = Math.floor(rng.exponential(0.15))
    const priceTicks = side === 'buy' ? midTicks + 0.5 + levels : midTicks - 0.5 - levels
    events.push({ trade: { tsNs, price: priceTicks * TICK, aggressorSide: side } })
  }
}
const windowNs = 60_000_000_000n

describe('trading intensity: 2 000 trades + 4 000 mids, fit read after every trade', () => {
  bench('createTradingIntensityEstimator (streaming histogram, O(log G) per trade + O(G) per read)', () => {
    const est = createTradingIntensityEstimator({ tickSize: TICK, depthGridTicks: GRID, windowNs, minCountPerPoint: 1 })
    for (const e of events) {
      if ('mid' in e) est.updateMid(e.mid.tsNs, e.mid.price)
      else {
        est.updateTrade(e.trade.tsNs, e.trade.price, e.trade.aggressorSide)
        est.read(e.trade.tsNs)
      }
    }
  })

  bench('naive peer: computeArrivalDepths + fitTradingIntensity over the window after every trade', () => {
    const mids: PriceSample[] = []
    const trades: TradeSample[] = []
    for (const e of events) {
      if ('mid' in e) mids.push(e.mid)
      else {
        trades.push(e.trade)
        const nowNs = e.trade.tsNs
        const fromNs = nowNs - windowNs
        const { arrivals } = computeArrivalDepths({ trades: trades.filter((t) => t.tsNs >= fromNs), mids })
        const inWindow = arrivals.filter((a) => a.tsNs >= fromNs)
        const countPoints = GRID.filter(
          (g) => inWindow.filter((a) => a.depthPrice >= g * TICK - 1e-12).length >= 1,
        ).length
        if (countPoints >= 2)
          fitTradingIntensity({
            arrivals: inWindow,
            windowStartNs: fromNs < 0n ? 0n : fromNs,
            windowEndNs: nowNs,
            tickSize: TICK,
            depthGridTicks: GRID,
            minCountPerPoint: 1,
          })
      }
    }
  })
})
