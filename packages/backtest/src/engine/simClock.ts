/** The engine's clock: simulation time in nanoseconds, advanced only by the engine (never by the wall clock). */
export type SimClock = {
  readonly nowNs: () => bigint
  readonly advanceTo: (tsNs: bigint) => void
}

/** A clock starting at `startNs`; it refuses to go back in time. */
export function createSimClock(startNs: bigint): SimClock {
  let now = startNs
  return {
    nowNs: () => now,
    advanceTo: (tsNs: bigint) => {
      if (tsNs < now) throw new RangeError(`SimClock cannot go back: ${tsNs} < ${now}`)
      now = tsNs
    },
  }
}
