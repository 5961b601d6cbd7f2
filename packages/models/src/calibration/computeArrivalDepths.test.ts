import { describe, expect, it } from 'vitest'
import { InvalidSampleError, UnsortedTimestampsError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { computeArrivalDepths } from './computeArrivalDepths.js'

describe('computeArrivalDepths', () => {
  it('measures buy depth as price − mid and sell depth as mid − price, from the mid strictly before the trade', () => {
    const mids = [
      { tsNs: 10n, price: 100.005 },
      { tsNs: 20n, price: 100.015 },
      { tsNs: 30n, price: 99.995 },
    ]
    const trades = [
      { tsNs: 5n, price: 100, aggressorSide: 'buy' as const }, // before any mid: unmatched
      { tsNs: 15n, price: 100.01, aggressorSide: 'buy' as const }, // mid 100.005 → +0.005
      { tsNs: 20n, price: 99.99, aggressorSide: 'sell' as const }, // mid at 20 is not "before": uses 100.005 → +0.015
      { tsNs: 31n, price: 100.02, aggressorSide: 'sell' as const }, // mid 99.995 → −0.025 (sold above the mid)
    ]
    const r = computeArrivalDepths({ trades, mids })
    expect(r.unmatchedTradeCount).toBe(1)
    expect(r.arrivals.map((a) => a.tsNs)).toEqual([15n, 20n, 31n])
    expect(r.arrivals[0]!.depthPrice).toBeCloseTo(0.005, 12)
    expect(r.arrivals[1]!.depthPrice).toBeCloseTo(0.015, 12)
    expect(r.arrivals[2]!.depthPrice).toBeCloseTo(-0.025, 12)
  })

  it('rejects bad inputs naming the series, field and index', () => {
    const mids = [{ tsNs: 1n, price: 100 }]
    expect(() =>
      computeArrivalDepths({ mids, trades: [{ tsNs: 2n, price: 1, aggressorSide: 'long' as never }] }),
    ).toThrow(/trades\[0\]\.aggressorSide: "long"/)
    expect(() =>
      computeArrivalDepths({
        mids: [mids[0]!, { tsNs: 0n, price: 100 }],
        trades: [],
      }),
    ).toThrow(UnsortedTimestampsError)
    expect(() => computeArrivalDepths({ mids: [{ tsNs: 1n, price: 0 }], trades: [] })).toThrow(InvalidSampleError)
    expect(() => computeArrivalDepths({ mids, trades: {} as never })).toThrow(InvalidParameterError)
    expect(() => computeArrivalDepths({ mids: null as never, trades: [] })).toThrow(InvalidParameterError)
  })
})
