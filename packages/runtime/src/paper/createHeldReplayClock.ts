import type { ReplayClock } from '@alp/venue-sim'

/** Longest single timer (setTimeout's limit); longer sleeps re-arm. */
const MAX_TIMER_MS = 2_147_483_647

/**
 * A replay clock (`createReplayClock` of `@alp/venue-sim`: replay time = startMs + (wall − wallStartMs) · speed) that
 * holds at `startMs` until {@link HeldReplayClock.start} gives it its wall start. `alp paper --split` runs on one in
 * every process: the run's process starts it once every role process reported ready, and each role process starts its
 * own with the same wall start, so no role misses the beginning of the window however long the processes take to
 * come up. Before `start`: `nowMs()` reads `startMs`, `sleepUntil(t > startMs)` waits for the start, `wallStartMs` and
 * `toWallMs` are NaN / +Infinity.
 */
export type HeldReplayClock = ReplayClock & {
  /** Starts the clock: replay time `startMs` at wall time `wallStartMs` (default now). Once only: later calls are ignored. */
  start(wallStartMs?: number): number
  /** Resolves with the wall start once the clock runs. */
  readonly started: Promise<number>
  isStarted(): boolean
}

export function createHeldReplayClock(parameters: {
  startMs: number
  speed: number
  wall?: { nowMs(): number } | undefined
}): HeldReplayClock {
  const { startMs, speed } = parameters
  if (!Number.isFinite(startMs)) throw new RangeError(`createHeldReplayClock: startMs must be finite (got ${startMs})`)
  if (!Number.isFinite(speed) || speed <= 0)
    throw new RangeError(`createHeldReplayClock: speed must be a number > 0 (got ${speed})`)
  const wall = parameters.wall ?? { nowMs: () => Date.now() }
  let wallStartMs = Number.NaN
  let resolveStarted: (wallStartMs: number) => void = () => {}
  const started = new Promise<number>((resolve) => {
    resolveStarted = resolve
  })
  let last = Math.floor(startMs)
  const nowMs = (): number => {
    if (Number.isNaN(wallStartMs)) return last
    const replay = Math.floor(startMs + (wall.nowMs() - wallStartMs) * speed)
    if (replay > last) last = replay
    return last
  }
  const toWallMs = (replayMs: number): number =>
    Number.isNaN(wallStartMs) ? Number.POSITIVE_INFINITY : wallStartMs + (replayMs - startMs) / speed
  const sleepUntil = async (replayMs: number, signal?: AbortSignal | undefined): Promise<void> => {
    if (signal?.aborted) throw signal.reason
    if (nowMs() >= replayMs) return
    if (Number.isNaN(wallStartMs)) await abortable(started, signal)
    while (nowMs() < replayMs)
      await sleepWall(Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(toWallMs(replayMs) - wall.nowMs()))), signal)
  }
  return {
    kind: 'replay',
    startMs,
    speed,
    get wallStartMs() {
      return wallStartMs
    },
    wall,
    nowMs,
    toWallMs,
    sleepUntil,
    start(at?: number): number {
      if (!Number.isNaN(wallStartMs)) return wallStartMs
      const value = at ?? wall.nowMs()
      if (!Number.isFinite(value)) throw new RangeError(`createHeldReplayClock: wallStartMs must be finite (got ${at})`)
      wallStartMs = value
      resolveStarted(value)
      return value
    },
    started,
    isStarted: () => !Number.isNaN(wallStartMs),
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function sleepWall(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
