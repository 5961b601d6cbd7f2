import { describe, expect, it } from 'vitest'
import { UnsortedTimestampsError } from '../errors/calibration.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { aggregateArrivalsByInterval } from './aggregateArrivalsByInterval.js'

describe('aggregateArrivalsByInterval', () => {
  it('keeps the deepest arrival of each non-empty interval, stamped at the interval start', () => {
    const arrivals = [
      { tsNs: 1000n, depthPrice: 0.005 },
      { tsNs: 1050n, depthPrice: 0.025 }, // sweep inside the same 100 ns interval
      { tsNs: 1099n, depthPrice: 0.015 },
      { tsNs: 1300n, depthPrice: -0.005 },
    ]
    expect(aggregateArrivalsByInterval({ arrivals, intervalNs: 100n, originNs: 1000n })).toEqual([
      { tsNs: 1000n, depthPrice: 0.025 },
      { tsNs: 1300n, depthPrice: -0.005 },
    ])
    expect(aggregateArrivalsByInterval({ arrivals: [], intervalNs: 100n, originNs: 0n })).toEqual([])
  })

  it('rejects bad inputs', () => {
    expect(() => aggregateArrivalsByInterval({ arrivals: [], intervalNs: 0n, originNs: 0n })).toThrow(
      InvalidParameterError,
    )
    expect(() =>
      aggregateArrivalsByInterval({ arrivals: [{ tsNs: 5n, depthPrice: 0 }], intervalNs: 1n, originNs: 6n }),
    ).toThrow(/arrivals\[0\]\.tsNs: 5n/)
    expect(() =>
      aggregateArrivalsByInterval({
        arrivals: [
          { tsNs: 5n, depthPrice: 0 },
          { tsNs: 4n, depthPrice: 0 },
        ],
        intervalNs: 1n,
        originNs: 0n,
      }),
    ).toThrow(UnsortedTimestampsError)
    expect(() =>
      aggregateArrivalsByInterval({ arrivals: [{ tsNs: 5n, depthPrice: Number.NaN }], intervalNs: 1n, originNs: 0n }),
    ).toThrow(/depthPrice: NaN/)
    expect(() => aggregateArrivalsByInterval({ arrivals: [], intervalNs: 1n, originNs: -1n })).toThrow(/originNs: -1n/)
    expect(() => aggregateArrivalsByInterval({ arrivals: 5 as never, intervalNs: 1n, originNs: 0n })).toThrow(
      InvalidParameterError,
    )
  })
})
