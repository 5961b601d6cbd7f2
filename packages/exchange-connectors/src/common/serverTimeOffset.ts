import type { Clock } from './clock.js'

/**
 * Tracks the venue server clock: offset = serverTime − midpoint(request sent, response received).
 * Signed requests use `nowServerMs()` as `timestamp`, so `-1021` (outside recvWindow) cannot come from local drift.
 */
export class ServerTimeOffset {
  private offset = 0
  private synced = false
  constructor(private readonly clock: Clock) {}

  /** Records one `GET /time` round trip. */
  update(serverTimeMs: number, sentAtMs: number, receivedAtMs: number): void {
    this.offset = Math.round(serverTimeMs - (sentAtMs + receivedAtMs) / 2)
    this.synced = true
  }

  get offsetMs(): number {
    return this.offset
  }

  get isSynced(): boolean {
    return this.synced
  }

  /** Local clock corrected to the server's. */
  nowServerMs(): number {
    return this.clock.nowMs() + this.offset
  }
}
