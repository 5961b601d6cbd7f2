import { InvalidEmulatorConfigError } from '../errors/binance.js'
import type { ReplayTimeClock } from './types.js'

/** A clock that moves only when told to (tests, stepped backtests). */
export type ManualClock = ReplayTimeClock & {
  readonly kind: 'manual'
  /** Moves the clock to `ms`; throws when `ms` is earlier than now (time never goes back). Wakes due sleepers. */
  advanceTo(ms: number): void
  /** Moves the clock forward by `deltaMs` ≥ 0. */
  advanceBy(deltaMs: number): void
}

export type CreateManualClockErrorType = InvalidEmulatorConfigError

/**
 * Manual stepped clock starting at `startMs`. `sleepUntil(ms)` resolves when a later `advanceTo` / `advanceBy` reaches
 * `ms`. As the wall clock under {@link createReplayClock} it makes a replay clock steppable (`speed` then applies to steps).
 */
export function createManualClock(startMs: number): ManualClock {
  if (!Number.isFinite(startMs)) throw new InvalidEmulatorConfigError({ field: 'startMs', reason: 'must be finite' })
  let now = startMs
  const sleepers = new Set<{ atMs: number; wake: () => void }>()
  const advanceTo = (ms: number): void => {
    if (!Number.isFinite(ms) || ms < now)
      throw new InvalidEmulatorConfigError({ field: 'advanceTo', reason: `${ms} is before the clock's ${now}` })
    now = ms
    for (const sleeper of [...sleepers]) if (sleeper.atMs <= now) sleeper.wake()
  }
  return {
    kind: 'manual',
    speed: 1,
    nowMs: () => now,
    advanceTo,
    advanceBy: (deltaMs) => advanceTo(now + deltaMs),
    sleepUntil: (atMs, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason)
        if (atMs <= now) return resolve()
        const sleeper = {
          atMs,
          wake: () => {
            sleepers.delete(sleeper)
            signal?.removeEventListener('abort', onAbort)
            resolve()
          },
        }
        const onAbort = () => {
          sleepers.delete(sleeper)
          reject(signal?.reason)
        }
        signal?.addEventListener('abort', onAbort, { once: true })
        sleepers.add(sleeper)
      }),
  }
}
