import { describe, expect, it } from 'vitest'
import { DeribitCreditLimiter } from './creditLimiter.js'

describe('DeribitCreditLimiter', () => {
  it('spends down to the reserve, then asks to wait exactly until the refill covers the cost', () => {
    let now = 1_000
    const limiter = new DeribitCreditLimiter({
      clock: { nowMs: () => now },
      poolCredits: 50_000,
      refillCreditsPerSec: 10_000,
      reserveCredits: 5_000,
    })
    // (50 000 − 5 000) / 500 = 90 requests of 500 credits go through at once
    for (let i = 0; i < 90; i++) expect(limiter.reserve(500)).toBe(0)
    // 5 000 left = the reserve; one more needs 500 credits = 50 ms of refill at 10 credits/ms
    expect(limiter.reserve(500)).toBe(50)
    now += 49
    expect(limiter.reserve(500)).toBe(1)
    now += 1
    expect(limiter.reserve(500)).toBe(0)
  })

  it('never refills above the pool', () => {
    let now = 0
    const limiter = new DeribitCreditLimiter({
      clock: { nowMs: () => now },
      poolCredits: 1_000,
      refillCreditsPerSec: 1_000,
    })
    now += 1_000_000
    expect(limiter.available()).toBe(1_000)
  })
})
