import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../test/src/seededRandom.js'
import { InsufficientDataError, InvalidSampleError, UnsortedTimestampsError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeArrivalDepths } from './computeArrivalDepths.js'
import { fitTradingIntensity } from './fitTradingIntensity.js'
import type { ArrivalSample, TradeSample } from './types.js'

const SEC = 1_000_000_000n
const TICK = 0.01

function arrivalsAtTicks(countsByTicks: ReadonlyArray<readonly [number, number]>): ArrivalSample[] {
  const out: ArrivalSample[] = []
  let tsNs = 0n
  for (const [ticks, n] of countsByTicks)
    for (let i = 0; i < n; i++) out.push({ tsNs: tsNs++, depthPrice: ticks * TICK })
  return out
}

describe('fitTradingIntensity', () => {
  it('recovers an exact exponential: counts 64, 32, 16, 8, 4 in 1 s at 1..5 ticks → A = 128/s, k = ln 2 per tick', () => {
    // 32 arrivals exactly 1 tick deep, 16 at 2, 8 at 3, 4 at 4 and 4 at 5 ticks: the number reaching ≥ n ticks is 128·2^(−n).
    const arrivals = arrivalsAtTicks([
      [1, 32],
      [2, 16],
      [3, 8],
      [4, 4],
      [5, 4],
    ])
    const fit = fitTradingIntensity({
      arrivals,
      windowStartNs: 0n,
      windowEndNs: SEC,
      tickSize: TICK,
      depthGridTicks: [1, 2, 3, 4, 5],
      minCountPerPoint: 1,
    })
    expect(fit.points.map((p) => p.count)).toEqual([64, 32, 16, 8, 4])
    expect(fit.points.map((p) => p.lambdaPerSec)).toEqual([64, 32, 16, 8, 4])
    expect(fit.aPerSec).toBeCloseTo(128, 9)
    expect(fit.kPerTick).toBeCloseTo(Math.LN2, 12)
    expect(fit.kPerPrice).toBeCloseTo(Math.LN2 / 0.01, 9)
    expect(fit.rSquared).toBeCloseTo(1, 12)
    expect(fit.fitPointCount).toBe(5)
    expect(fit.arrivalCount).toBe(64)
    expect(fit.windowSec).toBe(1)
  })

  it('is a rate per second, not a count or a volume: the same arrivals over a 2× longer window halve λ and A, keep k', () => {
    const arrivals = arrivalsAtTicks([
      [1, 32],
      [2, 16],
      [3, 8],
      [4, 4],
      [5, 4],
    ])
    const common = { arrivals, windowStartNs: 0n, tickSize: TICK, depthGridTicks: [1, 2, 3, 4, 5], minCountPerPoint: 1 }
    const oneSec = fitTradingIntensity({ ...common, windowEndNs: SEC })
    const twoSec = fitTradingIntensity({ ...common, windowEndNs: 2n * SEC })
    expect(twoSec.aPerSec).toBeCloseTo(oneSec.aPerSec / 2, 9)
    expect(twoSec.kPerTick).toBeCloseTo(oneSec.kPerTick, 12)
    expect(twoSec.points[0]!.lambdaPerSec).toBe(32)
  })

  it('depth units are whole ticks, never half-ticks (hftbacktest #233): a trade exactly n ticks deep counts at grid depth n', () => {
    // Mid 100.00, tick 0.01; buys at 100.01 … 100.07 are exactly 1 … 7 ticks deep. In floats 100.07 − 100 =
    // 0.06999999999999318 (below 7 ticks by 7e-11 tick): it must still reach the 7-tick quote.
    const mids = [{ tsNs: 0n, price: 100 }]
    const trades: TradeSample[] = [1, 2, 3, 4, 5, 6, 7].map((n) => ({
      tsNs: BigInt(n),
      price: Number((100 + n / 100).toFixed(2)),
      aggressorSide: 'buy',
    }))
    const { arrivals } = computeArrivalDepths({ trades, mids })
    expect(arrivals[6]!.depthPrice).toBeLessThan(0.07)
    const fit = fitTradingIntensity({
      arrivals,
      windowStartNs: 0n,
      windowEndNs: SEC,
      tickSize: TICK,
      depthGridTicks: [1, 2, 3, 4, 5, 6, 7],
      minCountPerPoint: 1,
    })
    // Grid depth n ticks = n·0.01 USD, reached by the trades n … 7 ticks deep: 8 − n of them.
    expect(fit.points.map((p) => p.depthPrice)).toEqual([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07])
    expect(fit.points.map((p) => p.count)).toEqual([7, 6, 5, 4, 3, 2, 1])
    // hftbacktest's index for the 1-tick trade is round(1/0.5) − 1 = 1, labelled 1 + 0.5 = 1.5 "ticks" (really half-ticks);
    // its λ array is therefore shifted against the label. Ours puts the 1-tick trade at 1 tick and nowhere deeper:
    const oneTickOnly = fitTradingIntensity({
      arrivals: [arrivals[0]!],
      windowStartNs: 0n,
      windowEndNs: SEC,
      tickSize: TICK,
      depthGridTicks: [0.5, 1, 1.5, 2],
      minCountPerPoint: 1,
    })
    expect(oneTickOnly.points.map((p) => p.count)).toEqual([1, 1, 0, 0])
    // The same grid in price units: kPerTick = kPerPrice · tickSize.
    expect(fit.kPerTick).toBeCloseTo(fit.kPerPrice * TICK, 12)
  })

  it('recovers known A and k from a simulated Poisson process (4× a worst-case standard-error bound)', () => {
    const aPerSec = 2
    const kPerPrice = 50 // per USD → 0.5 per tick at tick 0.01
    const windowSec = 14_400
    const rng = createSeededRandom(2024)
    const arrivals: ArrivalSample[] = []
    // Market orders arrive at rate A with depth ~ Exponential(k): P(depth ≥ δ) = e^(−kδ), so λ(δ) = A·e^(−kδ) exactly.
    let t = rng.exponential(aPerSec)
    while (t < windowSec) {
      arrivals.push({ tsNs: BigInt(Math.round(t * 1e9)), depthPrice: rng.exponential(kPerPrice) })
      t += rng.exponential(aPerSec)
    }
    const grid = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    const fit = fitTradingIntensity({
      arrivals,
      windowStartNs: 0n,
      windowEndNs: BigInt(windowSec) * SEC,
      tickSize: TICK,
      depthGridTicks: grid,
      minCountPerPoint: 1,
    })
    // Independent count: arrivals at least δ deep.
    for (const p of fit.points) expect(p.count).toBe(arrivals.filter((a) => a.depthPrice >= p.depthPrice).length)
    // SD of ln count_i ≈ 1/√μ_i with μ_i = A·T·e^(−kδ_i). The slope and intercept are linear in the ln counts; bounding
    // their SD by Σ|coefficient_i|·SD_i holds for any correlation between the counts (they are cumulative, hence correlated).
    const x = grid.map((g) => g * TICK)
    const sd = x.map((d) => 1 / Math.sqrt(aPerSec * windowSec * Math.exp(-kPerPrice * d)))
    const meanX = x.reduce((s, v) => s + v, 0) / x.length
    const sxx = x.reduce((s, v) => s + (v - meanX) ** 2, 0)
    const slopeSdBound = x.reduce((s, v, i) => s + (Math.abs(v - meanX) * sd[i]!) / sxx, 0)
    const interceptSdBound = x.reduce((s, v, i) => s + Math.abs(1 / x.length - (meanX * (v - meanX)) / sxx) * sd[i]!, 0)
    expect(Math.abs(fit.kPerPrice - kPerPrice)).toBeLessThan(4 * slopeSdBound)
    expect(Math.abs(Math.log(fit.aPerSec) - Math.log(aPerSec))).toBeLessThan(4 * interceptSdBound)
    expect(fit.rSquared).toBeGreaterThan(0.99)
    // The bound is tight enough to matter: k within ±10 %, ln A within ±0.15 (A within about ±15 %).
    expect(4 * slopeSdBound).toBeLessThan(0.1 * kPerPrice)
    expect(4 * interceptSdBound).toBeLessThan(0.15)
  })

  it('leaves out points below minCountPerPoint and needs two left', () => {
    const arrivals = arrivalsAtTicks([
      [1, 30],
      [2, 10],
      [3, 2],
    ])
    const common = { arrivals, windowStartNs: 0n, windowEndNs: SEC, tickSize: TICK, depthGridTicks: [1, 2, 3, 4] }
    const fit = fitTradingIntensity({ ...common, minCountPerPoint: 5 })
    expect(fit.points.map((p) => p.usedInFit)).toEqual([true, true, false, false])
    expect(fit.fitPointCount).toBe(2)
    // Two points: exact line through ln 42 at 0.01 and ln 12 at 0.02.
    expect(fit.kPerPrice).toBeCloseTo(Math.log(42 / 12) / 0.01, 9)
    const err = (() => {
      try {
        fitTradingIntensity({ ...common, minCountPerPoint: 13 })
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(InsufficientDataError)
    expect(err).toMatchObject({ got: 1, needed: 2 })
  })

  it('rejects bad parameters and samples with typed errors', () => {
    const arrivals = [{ tsNs: 5n, depthPrice: 0.01 }]
    const ok = {
      arrivals,
      windowStartNs: 0n,
      windowEndNs: 10n,
      tickSize: TICK,
      depthGridTicks: [1, 2],
      minCountPerPoint: 1,
    }
    expect(() => fitTradingIntensity({ ...ok, tickSize: 0 })).toThrow(/tickSize: 0 \(must be > 0\)/)
    expect(() => fitTradingIntensity({ ...ok, tickSize: -0.01 })).toThrow(InvalidParameterError)
    expect(() => fitTradingIntensity({ ...ok, tickSize: Number.NaN })).toThrow(/tickSize: NaN/)
    expect(() => fitTradingIntensity({ ...ok, depthGridTicks: [1] })).toThrow(InsufficientDataError)
    expect(() => fitTradingIntensity({ ...ok, depthGridTicks: [2, 1] })).toThrow(/depthGridTicks\[1\]: 1/)
    expect(() => fitTradingIntensity({ ...ok, depthGridTicks: [1, 1] })).toThrow(InvalidParameterError)
    expect(() => fitTradingIntensity({ ...ok, depthGridTicks: [-1, 1] })).toThrow(/depthGridTicks\[0\]: -1/)
    expect(() => fitTradingIntensity({ ...ok, minCountPerPoint: 0 })).toThrow(/minCountPerPoint: 0/)
    expect(() => fitTradingIntensity({ ...ok, minCountPerPoint: 1.5 })).toThrow(/minCountPerPoint: 1.5/)
    expect(() => fitTradingIntensity({ ...ok, depthGridTicks: [0, Number.NaN] })).toThrow(/depthGridTicks\[1\]: NaN/)
    expect(() => fitTradingIntensity({ ...ok, depthGridTicks: 'x' as never })).toThrow(InvalidParameterError)
    expect(() => fitTradingIntensity({ ...ok, windowEndNs: 0n })).toThrow(/windowEndNs: 0n/)
    expect(() => fitTradingIntensity({ ...ok, windowStartNs: -1n })).toThrow(/windowStartNs: -1n/)
    expect(() => fitTradingIntensity({ ...ok, arrivals: [{ tsNs: 11n, depthPrice: 0 }] })).toThrow(
      /arrivals\[0\]\.tsNs: 11n/,
    )
    expect(() => fitTradingIntensity({ ...ok, arrivals: [{ tsNs: 1n, depthPrice: Number.NaN }] })).toThrow(
      InvalidSampleError,
    )
    expect(() =>
      fitTradingIntensity({
        ...ok,
        arrivals: [
          { tsNs: 2n, depthPrice: 0 },
          { tsNs: 1n, depthPrice: 0 },
        ],
      }),
    ).toThrow(UnsortedTimestampsError)
    expect(() => fitTradingIntensity({ ...ok, arrivals: 'a' as never })).toThrow(InvalidParameterError)
  })
})
