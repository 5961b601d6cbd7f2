import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { EstimatorNotReadyError, InvalidSampleError, UnsortedTimestampsError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeArrivalDepths } from './computeArrivalDepths.js'
import { createTradingIntensityEstimator } from './createTradingIntensityEstimator.js'
import { fitTradingIntensity } from './fitTradingIntensity.js'
import type { PriceSample, TradeSample } from './types.js'

const SEC = 1_000_000_000n
const TICK = 0.01
const GRID = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]

type Event = { kind: 'mid'; mid: PriceSample } | { kind: 'trade'; trade: TradeSample }

/** Mid on half-ticks moving ±1 tick, trades at the touch or a few levels through it, some at the same instant as a mid. */
function simulateMarket(seed: number, seconds: number): Event[] {
  const rng = createSeededRandom(seed)
  const events: Event[] = []
  let midTicks = 268_162.5
  for (let ms = 0; ms < seconds * 1000; ms += 10) {
    const tsNs = BigInt(ms) * 1_000_000n
    if (rng.uniform() < 0.2) {
      midTicks += rng.uniform() < 0.5 ? -1 : 1
      events.push({ kind: 'mid', mid: { tsNs, price: Number((midTicks * TICK).toFixed(3)) } })
    }
    if (rng.uniform() < 0.1) {
      const side = rng.uniform() < 0.5 ? 'buy' : 'sell'
      const levels = Math.floor(rng.exponential(0.7))
      const priceTicks = side === 'buy' ? midTicks + 0.5 + levels : midTicks - 0.5 - levels
      events.push({
        kind: 'trade',
        trade: { tsNs, price: Number((priceTicks * TICK).toFixed(2)), aggressorSide: side },
      })
    }
  }
  return events
}

describe('createTradingIntensityEstimator', () => {
  it('equals computeArrivalDepths + fitTradingIntensity on the same window at every read', () => {
    const events = simulateMarket(9, 600)
    const windowNs = 60n * SEC
    const est = createTradingIntensityEstimator({ tickSize: TICK, depthGridTicks: GRID, windowNs, minCountPerPoint: 3 })
    const mids: PriceSample[] = []
    const trades: TradeSample[] = []
    let nextReadNs = 1n * SEC
    let compared = 0
    for (const e of events) {
      const tsNs = e.kind === 'mid' ? e.mid.tsNs : e.trade.tsNs
      while (nextReadNs < tsNs) {
        const state = est.read(nextReadNs)
        if (nextReadNs < windowNs) expect(state).toMatchObject({ ready: false, reason: 'warmUp' })
        else {
          const { arrivals } = computeArrivalDepths({ trades, mids })
          const fromNs = nextReadNs - windowNs
          const batch = fitTradingIntensity({
            arrivals: arrivals.filter((a) => a.tsNs >= fromNs),
            windowStartNs: fromNs,
            windowEndNs: nextReadNs,
            tickSize: TICK,
            depthGridTicks: GRID,
            minCountPerPoint: 3,
          })
          expect(state).toEqual({ ready: true, ...batch })
          compared++
        }
        nextReadNs += 7n * SEC
      }
      if (e.kind === 'mid') {
        est.updateMid(e.mid.tsNs, e.mid.price)
        mids.push(e.mid)
      } else {
        const r = est.updateTrade(e.trade.tsNs, e.trade.price, e.trade.aggressorSide)
        trades.push(e.trade)
        expect(r.matched).toBe(mids.length > 0 && mids[0]!.tsNs < e.trade.tsNs)
      }
    }
    expect(compared).toBeGreaterThan(70)
  })

  it('property: equals the batch fit for random event sequences with ties, at a random read time', () => {
    let readyRuns = 0
    const event = fc.record({
      gapNs: fc.integer({ min: 0, max: 3 }),
      isMid: fc.boolean(),
      offsetTicks: fc.integer({ min: -3, max: 8 }),
      buy: fc.boolean(),
    })
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 40, maxLength: 120 }),
        fc.integer({ min: 0, max: 5 }),
        (raw, extraNs) => {
          const grid = [0.5, 1.5, 2.5, 3.5]
          const windowNs = 20n
          const est = createTradingIntensityEstimator({
            tickSize: TICK,
            depthGridTicks: grid,
            windowNs,
            minCountPerPoint: 1,
          })
          const mids: PriceSample[] = []
          const trades: TradeSample[] = []
          let tsNs = 0n
          for (const e of raw) {
            tsNs += BigInt(e.gapNs)
            if (e.isMid) {
              const price = Number((100 + e.offsetTicks * 0.005).toFixed(3))
              est.updateMid(tsNs, price)
              mids.push({ tsNs, price })
            } else {
              const price = Number((100 + e.offsetTicks * 0.01).toFixed(2))
              const aggressorSide = e.buy ? 'buy' : 'sell'
              est.updateTrade(tsNs, price, aggressorSide)
              trades.push({ tsNs, price, aggressorSide })
            }
          }
          const nowNs = tsNs + BigInt(extraNs)
          const state = est.read(nowNs)
          if (!state.ready) return
          readyRuns++
          const fromNs = nowNs - windowNs
          const { arrivals } = computeArrivalDepths({ trades, mids })
          const batch = fitTradingIntensity({
            arrivals: arrivals.filter((a) => a.tsNs >= fromNs),
            windowStartNs: fromNs,
            windowEndNs: nowNs,
            tickSize: TICK,
            depthGridTicks: grid,
            minCountPerPoint: 1,
          })
          expect(state).toEqual({ ready: true, ...batch })
        },
      ),
      { seed: 17, numRuns: 300 },
    )
    expect(readyRuns).toBeGreaterThan(50)
  })

  it('uses the mid strictly before a trade whatever the feed order at equal timestamps', () => {
    const a = createTradingIntensityEstimator({
      tickSize: TICK,
      depthGridTicks: [1, 2],
      windowNs: SEC,
      minCountPerPoint: 1,
    })
    a.updateMid(0n, 100)
    a.updateMid(10n, 100.5) // same instant as the trade: may already include it
    expect(a.updateTrade(10n, 100.02, 'buy')).toEqual({ matched: true, depthPrice: expect.closeTo(0.02, 12) })
    const b = createTradingIntensityEstimator({
      tickSize: TICK,
      depthGridTicks: [1, 2],
      windowNs: SEC,
      minCountPerPoint: 1,
    })
    b.updateMid(0n, 100)
    expect(b.updateTrade(10n, 100.02, 'buy')).toEqual({ matched: true, depthPrice: expect.closeTo(0.02, 12) })
    b.updateMid(10n, 100.5)
    const c = createTradingIntensityEstimator({
      tickSize: TICK,
      depthGridTicks: [1, 2],
      windowNs: SEC,
      minCountPerPoint: 1,
    })
    c.updateMid(10n, 100)
    expect(c.updateTrade(10n, 100.02, 'buy')).toEqual({ matched: false })
  })

  it('reports warm-up and too few depth points explicitly; value() throws until ready; old arrivals leave the window', () => {
    const est = createTradingIntensityEstimator({
      tickSize: TICK,
      depthGridTicks: [1, 2],
      windowNs: 10n * SEC,
      minCountPerPoint: 2,
    })
    expect(() => est.value(0n)).toThrow(EstimatorNotReadyError)
    est.updateMid(1n * SEC, 100)
    est.updateTrade(2n * SEC, 100.01, 'buy')
    est.updateTrade(3n * SEC, 99.98, 'sell')
    expect(est.read(5n * SEC)).toEqual({
      ready: false,
      reason: 'warmUp',
      historyNs: 4n * SEC,
      neededHistoryNs: 10n * SEC,
      arrivalCount: 2,
      usablePointCount: 1,
    })
    expect(est.read(11n * SEC)).toMatchObject({ ready: false, reason: 'tooFewDepthPoints', usablePointCount: 1 })
    const err = (() => {
      try {
        est.value(11n * SEC)
      } catch (e) {
        return e
      }
    })()
    expect(err).toMatchObject({ code: 'ESTIMATOR_NOT_READY', reason: 'tooFewDepthPoints' })
    est.updateTrade(11n * SEC, 100.02, 'buy')
    // Window [2 s, 12 s]: trades at 1, 2 ticks (≥1: 3, ≥2: 2) over 10 s.
    const fit = est.value(12n * SEC)
    expect(fit.points.map((p) => p.count)).toEqual([3, 2])
    expect(fit.points[0]!.lambdaPerSec).toBeCloseTo(0.3, 15)
    expect(fit.kPerPrice).toBeCloseTo(Math.log(3 / 2) / 0.01, 9)
    // At 13.5 s the 2 s and 3 s trades have left the window [3.5 s, 13.5 s]; one arrival is left.
    expect(est.read(13_500_000_000n)).toMatchObject({ ready: false, reason: 'tooFewDepthPoints', arrivalCount: 1 })
  })

  it('validates parameters and updates, keeping its state on error', () => {
    const ok = { tickSize: TICK, depthGridTicks: [1, 2], windowNs: SEC, minCountPerPoint: 1 }
    expect(() => createTradingIntensityEstimator({ ...ok, tickSize: 0 })).toThrow(/tickSize: 0/)
    expect(() => createTradingIntensityEstimator({ ...ok, windowNs: 0n })).toThrow(/windowNs: 0n/)
    expect(() => createTradingIntensityEstimator({ ...ok, depthGridTicks: [3, 2] })).toThrow(InvalidParameterError)
    const est = createTradingIntensityEstimator(ok)
    est.updateMid(10n, 100)
    expect(() => est.updateMid(9n, 100)).toThrow(UnsortedTimestampsError)
    expect(() => est.updateTrade(11n, 100, 'hold' as never)).toThrow(InvalidSampleError)
    expect(() => est.updateTrade(11n, -5, 'buy')).toThrow(/price: -5/)
    expect(() => est.updateMid(11n, Number.NaN)).toThrow(/midPrice: NaN/)
    expect(() => est.read(9n)).toThrow(UnsortedTimestampsError)
    expect(est.updateTrade(11n, 100.01, 'buy')).toEqual({ matched: true, depthPrice: expect.closeTo(0.01, 12) })
  })
})
