import { describe, expect, it } from 'vitest'
import { createHeldReplayClock } from '../src/paper/createHeldReplayClock.js'
import { createReplayGate } from '../src/paper/createReplayGate.js'
import { PaperRoleNotReadyError, reportRoleReady, serveReplayGate } from '../src/paper/paperSplit.js'

/*
 * alp paper --split gates the replay's start on every role process being ready: the replay clock holds at the window's
 * start until the run starts it, each role process reports ready over the run's loopback server and gets the clock's
 * wall start back, and a role that never reports ready fails the run with PaperRoleNotReadyError naming it.
 */
const START = Date.UTC(2024, 0, 5)

describe('alp paper --split: the replay starts once every role is ready', () => {
  it('the held replay clock reads the window start and sleeps until it is started, then runs at its speed', async () => {
    let wall = 1_000_000
    const clock = createHeldReplayClock({ startMs: START, speed: 60, wall: { nowMs: () => wall } })
    wall += 10_000 // ten wall seconds held: ten replay minutes at 60× had the clock been running
    expect(clock.nowMs()).toBe(START)
    expect(clock.isStarted()).toBe(false)
    let woke = false
    const sleeping = clock.sleepUntil(START + 60).then(() => {
      woke = true
    })
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(woke).toBe(false)
    await clock.sleepUntil(START) // the start itself is already reached
    expect(clock.start(wall)).toBe(wall)
    expect(clock.start(wall + 5)).toBe(wall) // once only
    expect(clock.nowMs()).toBe(START)
    wall += 1 // 1 wall ms = 60 replay ms
    await sleeping
    expect(woke).toBe(true)
    expect(clock.nowMs()).toBe(START + 60)
    expect(clock.toWallMs(START + 120)).toBe(wall + 1)
  })

  it('a role reports ready and gets the clock’s wall start only once the run started the clock', async () => {
    const server = await serveReplayGate(createReplayGate({ nowMs: () => 0, sleepUntil: async () => {} }))
    try {
      const waiting = server.waitReady('trader', { timeoutMs: 10_000, gone: () => null })
      let readyResolved = false
      void waiting.then(() => {
        readyResolved = true
      })
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(readyResolved).toBe(false)
      let wallStart: number | null = null
      const role = reportRoleReady(server.url, 'trader').then((value) => {
        wallStart = value
      })
      await waiting
      expect(server.readyRoles()).toEqual(['trader'])
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(wallStart).toBeNull() // ready, but the run has not started the clock
      server.startClock(1_234_567)
      await role
      expect(wallStart).toBe(1_234_567)
      // A role reporting after the start gets the same wall start at once.
      expect(await reportRoleReady(server.url, 'lp-manager')).toBe(1_234_567)
    } finally {
      await server.close()
    }
  })

  it('a role that never reports ready fails the wait with PaperRoleNotReadyError naming it', async () => {
    const server = await serveReplayGate(createReplayGate({ nowMs: () => 0, sleepUntil: async () => {} }))
    try {
      const error = await server
        .waitReady('trader', { timeoutMs: 300, gone: () => null, output: () => 'still loading' })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(PaperRoleNotReadyError)
      expect((error as PaperRoleNotReadyError).role).toBe('trader')
      expect((error as PaperRoleNotReadyError).exit).toBeNull()
      expect((error as PaperRoleNotReadyError).code).toBe('PAPER_ROLE_NOT_READY')
      expect((error as Error).message).toContain('trader process did not report ready within 300 ms')
      const exited = await server.waitReady('lp-manager', { timeoutMs: 10_000, gone: () => 3 }).catch((e: unknown) => e)
      expect(exited).toBeInstanceOf(PaperRoleNotReadyError)
      expect((exited as PaperRoleNotReadyError).role).toBe('lp-manager')
      expect((exited as PaperRoleNotReadyError).exit).toBe(3)
    } finally {
      await server.close()
    }
  })
})
