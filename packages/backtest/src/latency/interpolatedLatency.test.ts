import { describe, expect, it } from 'vitest'
import { constantLatency } from './constantLatency.js'
import { interpolatedLatency } from './interpolatedLatency.js'

describe('latency models', () => {
  it('constant latency returns the configured values', () => {
    const m = constantLatency({ entryNs: 5_000_000n, responseNs: 7_000_000n })
    expect([m.entryNs(0n), m.responseNs(123n)]).toEqual([5_000_000n, 7_000_000n])
  })

  it('interpolates linearly between samples and holds flat outside (hand-computed)', () => {
    // Sample A at t=0: entry 10 ms, response 4 ms; sample B at t=100 ms: entry 30 ms, response 8 ms.
    const m = interpolatedLatency([
      { tsRequestNs: 0n, tsExchangeNs: 10_000_000n, tsResponseNs: 14_000_000n },
      { tsRequestNs: 100_000_000n, tsExchangeNs: 130_000_000n, tsResponseNs: 138_000_000n },
    ])
    // Quarter way: 10 + (30 − 10)/4 = 15 ms; 4 + (8 − 4)/4 = 5 ms.
    expect(m.entryNs(25_000_000n)).toBe(15_000_000n)
    expect(m.responseNs(25_000_000n)).toBe(5_000_000n)
    expect(m.entryNs(-1n)).toBe(10_000_000n)
    expect(m.entryNs(10n ** 12n)).toBe(30_000_000n)
  })

  it('rejects unsorted samples and negative latencies with the field named', () => {
    expect(() =>
      interpolatedLatency([
        { tsRequestNs: 10n, tsExchangeNs: 11n, tsResponseNs: 12n },
        { tsRequestNs: 5n, tsExchangeNs: 6n, tsResponseNs: 7n },
      ]),
    ).toThrow(/latency.samples\[1\].tsRequestNs/)
    expect(() => constantLatency({ entryNs: -1n, responseNs: 0n })).toThrow(/latency.entryNs/)
  })
})
