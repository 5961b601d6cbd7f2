import type { Clock } from '../common/clock.js'

/** Deribit's credit bucket: a pool that refills continuously; each request costs credits. */
export type DeribitCreditLimiterParameters = {
  clock: Pick<Clock, 'nowMs'>
  /** Default 50 000 (Deribit's default non-matching-engine pool). */
  poolCredits?: number
  /** Default 10 000 credits/s. */
  refillCreditsPerSec?: number
  /**
   * Credits kept in reserve and never spent (default 10 % of the pool), so a burst from another process on the same
   * sub-account does not push Deribit into 10028 (which terminates the session).
   */
  reserveCredits?: number
}

/**
 * Client-side mirror of Deribit's credit-based leaky bucket, pure (clock injected). `reserve(cost)` either takes the
 * credits now (returns 0) or returns how many ms to wait before asking again; the caller waits and retries. The bucket
 * never goes below `reserveCredits`, so the venue's own bucket never empties and 10028 never happens.
 */
export class DeribitCreditLimiter {
  private readonly clock: Pick<Clock, 'nowMs'>
  private readonly pool: number
  private readonly refillPerMs: number
  private readonly reserve_: number
  private credits: number
  private lastMs: number

  constructor(parameters: DeribitCreditLimiterParameters) {
    this.clock = parameters.clock
    this.pool = parameters.poolCredits ?? 50_000
    this.refillPerMs = (parameters.refillCreditsPerSec ?? 10_000) / 1000
    this.reserve_ = parameters.reserveCredits ?? Math.floor(this.pool / 10)
    this.credits = this.pool
    this.lastMs = this.clock.nowMs()
  }

  /** Credits available now (after refill). */
  available(): number {
    this.refill()
    return this.credits
  }

  /** Takes `cost` credits now (returns 0) or returns the wait in ms until they will be available. */
  reserve(cost: number): number {
    this.refill()
    if (this.credits - cost >= this.reserve_) {
      this.credits -= cost
      return 0
    }
    return Math.ceil((cost + this.reserve_ - this.credits) / this.refillPerMs)
  }

  private refill(): void {
    const now = this.clock.nowMs()
    if (now > this.lastMs) {
      this.credits = Math.min(this.pool, this.credits + (now - this.lastMs) * this.refillPerMs)
      this.lastMs = now
    }
  }
}
