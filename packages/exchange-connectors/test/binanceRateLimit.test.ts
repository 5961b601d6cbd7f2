import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import { ManualClock } from '../src/common/manualClock.js'
import { RateLimitedError } from '../src/errors/venue.js'
import { configFor, startEmulator } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

// The emulator and the connector share one manual clock, so Retry-After is honoured on a clock the test controls:
// no real waiting, and calling before Retry-After would be answered 418 by the emulator.
const clock = new ManualClock(1_800_000_000_000 + 30_000) // 30 s into a minute
let emu: RunningBinanceEmulator
let connector: BinanceConnector

beforeAll(async () => {
  emu = await startEmulator({ clock: { nowMs: () => clock.nowMs() }, tickIntervalMs: null })
  connector = await createBinanceConnector(configFor(emu, {}, clock), ['ETHUSDT'])
})
afterAll(async () => {
  await connector?.close()
  await emu?.close()
})

describe('429 handling', () => {
  it('a safe request answered 429 waits for Retry-After on the limiter and then succeeds; no 418', async () => {
    emu.emulator.setFaults({ rest: { rateLimitNext: 1 } })
    const pending = connector.execution.getOpenOrders('ETHUSDT')
    // the 429 blocks the limiter until the next minute (Retry-After: 30 s); the retry is parked on the clock
    // (while a request is in flight its timeout timer is pending too, so wait for the 429 itself first)
    await waitFor(
      () => connector.http.rateLimiter.rateLimitedCount === 1 && clock.pendingTimers === 1,
      'retry parked on the limiter',
    )
    expect(connector.http.rateLimiter.delayMs({ weight: 1 })).toBe(30_000)
    clock.advance(30_000)
    expect(await pending).toEqual([])
    expect(connector.http.rateLimiter.rateLimitedCount).toBe(1) // never a second 429, never a 418
  })

  it('an order create answered 429 surfaces RateLimitedError (not retried) and blocks later requests until Retry-After', async () => {
    emu.emulator.setFaults({ rest: { rateLimitNext: 1 } })
    const error = await connector.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2000.00',
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId: 'rl-1',
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).banned).toBe(false)
    // the first test left the clock exactly on a minute boundary: Retry-After = a full minute
    expect((error as RateLimitedError).retryAfterMs).toBe(60_000)
    const next = connector.execution.getOpenOrders('ETHUSDT')
    await waitFor(() => clock.pendingTimers === 1, 'request held by the limiter')
    clock.advance(60_000)
    expect(await next).toEqual([])
    expect(connector.http.rateLimiter.rateLimitedCount).toBe(2)
  })
})
