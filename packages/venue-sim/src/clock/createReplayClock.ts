import { InvalidEmulatorConfigError } from '../errors/binance.js'
import type { Clock } from '../matching/types.js'
import type { ReplayTimeClock } from './types.js'

export type CreateReplayClockParameters = {
  /** Replay time (ms since the epoch, the data's time) at wall time `wallStartMs`. */
  startMs: number
  /** Replay ms per wall ms: 1 = real time, 600 = ten replay minutes per wall second. */
  speed: number
  /**
   * Wall time (ms since the epoch) at which replay time is `startMs`. Default: the wall clock when the clock is created.
   * Processes given the same three numbers read the same replay time (up to their wall clocks' agreement).
   */
  wallStartMs?: number | undefined
  /**
   * The wall clock. Default `Date.now`. A manual clock (`createManualClock`) here makes the replay steppable in tests;
   * when it has `sleepUntil`, {@link ReplayClock.sleepUntil} waits on it instead of on timers.
   */
  wall?: (Clock & { sleepUntil?: ((wallMs: number, signal?: AbortSignal) => Promise<void>) | undefined }) | undefined
}

/** One clock the whole paper run shares: replay time = startMs + (wall − wallStartMs) · speed. */
export type ReplayClock = ReplayTimeClock & {
  readonly kind: 'replay'
  readonly startMs: number
  readonly wallStartMs: number
  /** The wall clock replay time is computed from (clients sign requests with it: see {@link resolveRequestClock}). */
  readonly wall: Clock
  /** Wall time (ms, not rounded) at which the clock reads `replayMs`. */
  toWallMs(replayMs: number): number
  /** Replay time (ms, whole, never decreasing) now. */
  nowMs(): number
}

export type CreateReplayClockErrorType = InvalidEmulatorConfigError

/** Longest single timer (setTimeout's limit); longer sleeps re-arm. */
const MAX_TIMER_MS = 2_147_483_647

/**
 * Creates a replay clock. Replay time is a pure function of the wall clock and the three numbers `startMs`, `speed`,
 * `wallStartMs`, so a chain replayer, three emulators and a strategy in different processes agree on time when started
 * with the same numbers. `nowMs()` is floored to whole ms and never goes back (a wall clock stepped back holds it).
 */
export function createReplayClock(parameters: CreateReplayClockParameters): ReplayClock {
  const { startMs, speed } = parameters
  if (!Number.isFinite(startMs)) throw new InvalidEmulatorConfigError({ field: 'startMs', reason: 'must be finite' })
  if (!Number.isFinite(speed) || speed <= 0)
    throw new InvalidEmulatorConfigError({ field: 'speed', reason: `${speed} is not a number > 0` })
  const wall = parameters.wall ?? { nowMs: () => Date.now() }
  const wallStartMs = parameters.wallStartMs ?? wall.nowMs()
  if (!Number.isFinite(wallStartMs))
    throw new InvalidEmulatorConfigError({ field: 'wallStartMs', reason: 'must be finite' })
  let last = Number.NEGATIVE_INFINITY
  const nowMs = (): number => {
    const replay = Math.floor(startMs + (wall.nowMs() - wallStartMs) * speed)
    if (replay > last) last = replay
    return last
  }
  const toWallMs = (replayMs: number): number => wallStartMs + (replayMs - startMs) / speed
  const sleepUntil = async (replayMs: number, signal?: AbortSignal | undefined): Promise<void> => {
    if (signal?.aborted) throw signal.reason
    const wallSleep = wall.sleepUntil
    while (nowMs() < replayMs) {
      if (wallSleep) await wallSleep.call(wall, Math.ceil(toWallMs(replayMs)), signal)
      else await sleepWall(Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(toWallMs(replayMs) - wall.nowMs()))), signal)
    }
  }
  return { kind: 'replay', startMs, speed, wallStartMs, wall, nowMs, toWallMs, sleepUntil }
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
