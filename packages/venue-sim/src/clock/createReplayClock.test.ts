import { describe, expect, it } from 'vitest'
import { createManualClock } from './createManualClock.js'
import { createReplayClock } from './createReplayClock.js'
import { isReplayTimeClock } from './types.js'

const JAN5 = Date.UTC(2024, 0, 5)

describe('createReplayClock', () => {
  it('replay time = startMs + (wall − wallStartMs) · speed; the same three numbers give the same time', () => {
    const wall = createManualClock(1_000_000)
    const a = createReplayClock({ startMs: JAN5, speed: 600, wallStartMs: 1_000_000, wall })
    wall.advanceBy(250)
    // a second "process" created later from the same numbers
    const b = createReplayClock({ startMs: JAN5, speed: 600, wallStartMs: 1_000_000, wall })
    expect([a.nowMs(), b.nowMs()]).toEqual([JAN5 + 150_000, JAN5 + 150_000])
    expect(a.toWallMs(JAN5 + 60_000)).toBe(1_000_100)
    expect([a.kind, a.speed, a.startMs, a.wallStartMs]).toEqual(['replay', 600, JAN5, 1_000_000])
  })

  it('floors to whole ms, and never goes back when the wall clock steps back', () => {
    let w = 10
    const clock = createReplayClock({ startMs: 0, speed: 1.5, wallStartMs: 0, wall: { nowMs: () => w } })
    expect(clock.nowMs()).toBe(15)
    w = 11
    expect(clock.nowMs()).toBe(16) // 16.5 floored
    w = 5
    expect(clock.nowMs()).toBe(16)
  })

  it('wallStartMs defaults to the wall clock at creation', () => {
    const wall = createManualClock(42)
    const clock = createReplayClock({ startMs: JAN5, speed: 2, wall })
    wall.advanceBy(10)
    expect([clock.wallStartMs, clock.nowMs()]).toEqual([42, JAN5 + 20])
  })

  it('sleepUntil waits for the wall clock (a manual wall: until it is advanced) and honours an abort', async () => {
    const wall = createManualClock(0)
    const clock = createReplayClock({ startMs: JAN5, speed: 600, wallStartMs: 0, wall })
    let woke = false
    const sleeping = clock.sleepUntil(JAN5 + 60_000).then(() => {
      woke = true
    })
    wall.advanceBy(99)
    await Promise.resolve()
    expect(woke).toBe(false)
    wall.advanceBy(1)
    await sleeping
    expect([woke, clock.nowMs()]).toEqual([true, JAN5 + 60_000])
    const controller = new AbortController()
    const aborted = clock.sleepUntil(JAN5 + 120_000, controller.signal)
    controller.abort(new Error('stop'))
    await expect(aborted).rejects.toThrow('stop')
  })

  it('sleepUntil on the real wall clock resolves once the replay time is reached', async () => {
    const clock = createReplayClock({ startMs: JAN5, speed: 1000 })
    await clock.sleepUntil(JAN5 + 20_000) // 20 wall ms
    expect(clock.nowMs()).toBeGreaterThanOrEqual(JAN5 + 20_000)
  })

  it('rejects a speed that is not > 0', () => {
    expect(() => createReplayClock({ startMs: 0, speed: 0 })).toThrow(/speed/)
    expect(() => createReplayClock({ startMs: 0, speed: Number.NaN })).toThrow(/speed/)
  })
})

describe('createManualClock', () => {
  it('moves only when told to, never back; sleepers wake when their time is reached', async () => {
    const clock = createManualClock(100)
    expect(clock.nowMs()).toBe(100)
    clock.advanceBy(50)
    clock.advanceTo(200)
    expect(clock.nowMs()).toBe(200)
    expect(() => clock.advanceTo(199)).toThrow(/before/)
    const order: number[] = []
    const a = clock.sleepUntil(300).then(() => order.push(300))
    const b = clock.sleepUntil(250).then(() => order.push(250))
    await clock.sleepUntil(150) // already passed: at once
    clock.advanceTo(260)
    await b
    expect(order).toEqual([250])
    clock.advanceTo(300)
    await a
    expect(order).toEqual([250, 300])
  })

  it('both clocks are replay-time clocks (drivers replay data at its own time); a plain { nowMs } is not', () => {
    expect(isReplayTimeClock(createManualClock(0))).toBe(true)
    expect(isReplayTimeClock(createReplayClock({ startMs: 0, speed: 1 }))).toBe(true)
    expect(isReplayTimeClock({ nowMs: () => 0 })).toBe(false)
  })
})
