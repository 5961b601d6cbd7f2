import type { Clock, TimerHandle } from './clock.js'

/** A clock that only moves when told to (`advance`), for deterministic tests of timers, backoff and rate limits. */
export class ManualClock implements Clock {
  private now: number
  private seq = 0
  private timers: { at: number; seq: number; callback: () => void; cancelled: boolean }[] = []

  constructor(startMs = 0) {
    this.now = startMs
  }

  nowMs(): number {
    return this.now
  }

  monotonicNs(): bigint {
    return BigInt(this.now) * 1_000_000n
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { at: this.now + Math.max(0, delayMs), seq: this.seq++, callback, cancelled: false }
    this.timers.push(timer)
    return {
      cancel: () => {
        timer.cancelled = true
      },
    }
  }

  /** Number of timers still pending. */
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length
  }

  /** Moves time forward by `deltaMs`, firing due timers in (time, creation) order. */
  advance(deltaMs: number): void {
    const target = this.now + deltaMs
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!due) break
      due.cancelled = true
      this.now = due.at
      due.callback()
    }
    this.timers = this.timers.filter((t) => !t.cancelled)
    this.now = target
  }
}
