/** A timer handle returned by `Clock.setTimeout`. */
export type TimerHandle = { readonly cancel: () => void }

/**
 * Time and timers, injected wherever they matter so tests are deterministic (a manual clock) and production uses the
 * system clock. `nowMs` is UNIX milliseconds.
 */
export type Clock = {
  nowMs(): number
  setTimeout(callback: () => void, delayMs: number): TimerHandle
  /** Monotonic nanoseconds for local receive stamps (`tsLocalNs`) and latency metrics. */
  monotonicNs(): bigint
}

/** The real clock (`Date.now`, `setTimeout`); timers are `unref`'d so they never keep the process alive. */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicNs: () => process.hrtime.bigint(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, delayMs)
    timer.unref?.()
    return { cancel: () => clearTimeout(timer) }
  },
}

/** Waits `delayMs` on `clock`. */
export function sleepOn(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, delayMs)
  })
}
