import { describe, expect, it } from 'vitest'
import { computeEquityStatistics } from './computeEquityStatistics.js'
import { createResultSeries } from './createResultSeries.js'

describe('computeEquityStatistics', () => {
  it('gives the largest fall from a running peak and the fraction of that peak', () => {
    // Peaks 110 then 120; falls 110 → 99 (11, 10 %) and 120 → 102 (18, 15 %).
    const stats = computeEquityStatistics([100, 110, 99, 120, 102, 105])
    expect(stats.maxDrawdownUsd).toBeCloseTo(18, 12)
    expect(stats.maxDrawdownFraction).toBeCloseTo(0.15, 12)
  })
  it('annualises the mean over the deviation of per-minute returns', () => {
    // Returns +1 %, −1 %, +1 % (101 → 99.99 → 100.9899): mean 1/300, sample sd of (0.01, −0.01, 0.01) = 0.011547…
    const stats = computeEquityStatistics([100, 101, 99.99, 100.9899])
    const mean = 0.01 / 3
    const sd = Math.sqrt(((0.01 - mean) ** 2 * 2 + (-0.01 - mean) ** 2) / 2)
    expect(stats.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(525_600), 6)
  })
  it('is zero on a flat or single-sample series', () => {
    expect(computeEquityStatistics([5])).toEqual({ sharpe: 0, maxDrawdownUsd: 0, maxDrawdownFraction: 0 })
    expect(computeEquityStatistics([5, 5, 5])).toEqual({ sharpe: 0, maxDrawdownUsd: 0, maxDrawdownFraction: 0 })
  })
})

describe('createResultSeries', () => {
  it('has every column of the results, empty, and a new instance each call', () => {
    const a = createResultSeries()
    expect(Object.keys(a).sort()).toEqual(
      [
        'tsMs',
        'poolPrice',
        'venuePrice',
        'baseLowerPrice',
        'baseUpperPrice',
        'limitLowerPrice',
        'limitUpperPrice',
        'lpBase',
        'hedgeBase',
        'netExposureBase',
        'feesUsd',
        'impermanentLossUsd',
        'hedgePnlUsd',
        'gasUsd',
        'pnlVsHoldUsd',
        'equityUsd',
      ].sort(),
    )
    for (const column of Object.values(a)) expect(column).toEqual([])
    a.tsMs.push(1)
    expect(createResultSeries().tsMs).toEqual([])
  })
})
