import { describe, expect, it } from 'vitest'
import { ManualClock } from './manualClock.js'
import { RateLimiter, rateLimitRulesFromExchangeInfo } from './rateLimiter.js'

// Binance USDⓈ-M exchangeInfo.rateLimits as published (REQUEST_WEIGHT 2400/min, ORDERS 1200/min and 300/10 s).
const published = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
  { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
]

describe('RateLimiter', () => {
  it('reads exchangeInfo.rateLimits into rules', () => {
    expect(rateLimitRulesFromExchangeInfo(published)).toEqual([
      { kind: 'weight', intervalMs: 60_000, limit: 2400 },
      { kind: 'orders', intervalMs: 60_000, limit: 1200 },
      { kind: 'orders', intervalMs: 10_000, limit: 300 },
    ])
  })

  it('lets requests through up to 80 % of the weight budget, then waits for the next minute window', () => {
    const clock = new ManualClock(120_000 + 15_000) // 15 s into a minute window
    const limiter = new RateLimiter({ rules: rateLimitRulesFromExchangeInfo(published), clock })
    // budget = floor(2400 · 0.8) = 1920 weight: 96 depth snapshots of weight 20
    for (let i = 0; i < 96; i++) {
      expect(limiter.delayMs({ weight: 20 })).toBe(0)
      limiter.record({ weight: 20 })
    }
    expect(limiter.used('weight', 60_000)).toBe(1920)
    // the 97th must wait until the window rolls at 180 000 ms: 45 s from now
    expect(limiter.delayMs({ weight: 20 })).toBe(45_000)
    clock.advance(45_000)
    expect(limiter.delayMs({ weight: 20 })).toBe(0)
  })

  it('orders count against both order windows; 10 s window binds first', () => {
    const clock = new ManualClock(0)
    const limiter = new RateLimiter({ rules: rateLimitRulesFromExchangeInfo(published), clock })
    // 10 s budget = floor(300 · 0.8) = 240 orders
    for (let i = 0; i < 240; i++) limiter.record({ weight: 0, orders: 1 })
    expect(limiter.delayMs({ weight: 0, orders: 1 })).toBe(10_000)
    expect(limiter.delayMs({ weight: 1 })).toBe(0) // non-order request unaffected
  })

  it('takes the server counters from X-MBX-* headers', () => {
    const clock = new ManualClock(0)
    const limiter = new RateLimiter({ rules: rateLimitRulesFromExchangeInfo(published), clock })
    limiter.onHeaders({ 'x-mbx-used-weight-1m': '1915', 'X-MBX-ORDER-COUNT-10S': '7', 'content-type': 'json' })
    expect(limiter.used('weight', 60_000)).toBe(1915)
    expect(limiter.used('orders', 10_000)).toBe(7)
    expect(limiter.delayMs({ weight: 5 })).toBe(0) // 1920 reached exactly
    expect(limiter.delayMs({ weight: 6 })).toBe(60_000)
  })

  it('after a 429 with Retry-After: 3 s nothing is allowed for 3 s', () => {
    const clock = new ManualClock(1_000)
    const limiter = new RateLimiter({ rules: rateLimitRulesFromExchangeInfo(published), clock })
    limiter.onRateLimited(3_000)
    expect(limiter.rateLimitedCount).toBe(1)
    expect(limiter.delayMs({ weight: 1 })).toBe(3_000)
    clock.advance(2_999)
    expect(limiter.delayMs({ weight: 1 })).toBe(1)
    clock.advance(1)
    expect(limiter.delayMs({ weight: 1 })).toBe(0)
  })
})
