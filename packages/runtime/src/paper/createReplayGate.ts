/** What the chain replayer needs of a clock (`ReplayClockLike` of `@alp/venue-sim/chain`). */
export type GateClock = { nowMs(): number; sleepUntil(ms: number): Promise<void> }

/**
 * A gate between the shared replay clock and the chain replayer, so that the LP manager decides on exactly the blocks a
 * backtester would have seen (the record-time clock of `packages/backtest/test/lpManagerParity.test.ts`, on a live
 * clock): the replayer mines a block once the shared clock reaches its recorded time AND the gate's limit allows it.
 * `advanceTo(t)` raises the limit to `t` and resolves once every block at or before `t` is mined and the replayer waits
 * for a later one (or is done): between two `advanceTo` calls nothing is mined, so the caller may turn automine on, act,
 * and turn it off again. The limit starts before the first block.
 */
export type ReplayGate = {
  /** The clock to pass to `replayPoolDay`. */
  readonly clock: GateClock
  advanceTo(tMs: number): Promise<void>
  /** The replay ended (done or stopped): `advanceTo` no longer waits. */
  finish(): void
}

export function createReplayGate(base: GateClock): ReplayGate {
  let limit = Number.NEGATIVE_INFINITY
  let finished = false
  // The record time of the block the replayer waits for, while it waits (null while it mines).
  let waitingFor: number | null = null
  let wakeReplayer: (() => void)[] = []
  let wakeIdle: (() => void)[] = []
  const flush = (list: (() => void)[]): void => {
    for (const wake of list) wake()
  }
  const clock: GateClock = {
    nowMs: () => Math.min(base.nowMs(), limit),
    async sleepUntil(ms: number): Promise<void> {
      waitingFor = ms
      const idle = wakeIdle
      wakeIdle = []
      flush(idle)
      while (Math.min(base.nowMs(), limit) < ms) {
        if (ms > limit) await new Promise<void>((resolve) => wakeReplayer.push(resolve))
        else await base.sleepUntil(ms)
      }
      waitingFor = null
    },
  }
  return {
    clock,
    async advanceTo(tMs: number): Promise<void> {
      if (tMs > limit) limit = tMs
      const waiting = wakeReplayer
      wakeReplayer = []
      flush(waiting)
      while (!finished && (waitingFor === null || waitingFor <= limit))
        await new Promise<void>((resolve) => {
          wakeIdle.push(resolve)
        })
    },
    finish(): void {
      finished = true
      const idle = wakeIdle
      wakeIdle = []
      flush(idle)
    },
  }
}
