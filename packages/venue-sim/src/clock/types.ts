import type { Clock } from '../matching/types.js'

/**
 * A clock whose time is the paper run's replay time: market drivers on it take the data's own timestamps as emulator time
 * (a kline with open_time T trades during [T, T + 60 s) of this clock). Both {@link createReplayClock} and
 * {@link createManualClock} return one.
 */
export type ReplayTimeClock = Clock & {
  readonly kind: 'replay' | 'manual'
  /** Replay ms per wall ms (1 for a manual clock, which only moves when told to). */
  readonly speed: number
  /** Resolves once the clock reads at least `replayMs` (at once when it already does); rejects with `signal.reason` on abort. */
  sleepUntil(replayMs: number, signal?: AbortSignal | undefined): Promise<void>
}

/** True for the clocks of this folder: drivers then replay data at its own timestamps (see {@link ReplayTimeClock}). */
export function isReplayTimeClock(clock: Clock): clock is ReplayTimeClock {
  const kind = (clock as { kind?: unknown }).kind
  return (
    (kind === 'replay' || kind === 'manual') && typeof (clock as { sleepUntil?: unknown }).sleepUntil === 'function'
  )
}
