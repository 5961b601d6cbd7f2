import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { computeBackoffMs } from './backoff.js'

describe('computeBackoffMs', () => {
  it('doubles the cap per attempt and stays in [cap/2, cap) (hand-computed: base 100, max 5000)', () => {
    const policy = { baseMs: 100, maxMs: 5_000 }
    expect(computeBackoffMs(0, policy, () => 0)).toBe(50)
    expect(computeBackoffMs(3, policy, () => 0)).toBe(400) // cap 800
    expect(computeBackoffMs(3, policy, () => 0.5)).toBe(600)
    expect(computeBackoffMs(10, policy, () => 0)).toBe(2_500) // capped at 5000
    expect(computeBackoffMs(1000, policy, () => 0.999)).toBe(4_997)
  })

  it('property: delay ∈ [cap/2, cap] for any attempt and random', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const policy = { baseMs: 250, maxMs: 30_000 }
        const cap = Math.min(30_000, 250 * 2 ** Math.min(attempt, 30))
        const d = computeBackoffMs(attempt, policy, () => r)
        return d >= Math.floor(cap / 2) && d <= cap
      }),
    )
  })
})
