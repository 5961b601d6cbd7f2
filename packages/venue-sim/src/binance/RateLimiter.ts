/** Limits as published in exchangeInfo.rateLimits (USDⓈ-M defaults). */
export type RateLimits = {
  requestWeightPerMinute: number
  ordersPer10s: number
  ordersPerMinute: number
  /** First ban length; each further ban doubles it, up to three days (Binance: "2 minutes to 3 days"). */
  banSeconds: number
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  requestWeightPerMinute: 2400,
  ordersPer10s: 300,
  ordersPerMinute: 1200,
  banSeconds: 120,
}

type IpState = {
  minute: number
  weight: number
  /** Set when the IP was answered 429; requests before this time escalate to a ban. */
  backoffUntilMs: number
  bannedUntilMs: number
  bans: number
}

export type WeightDecision =
  | { kind: 'ok'; usedWeight: number }
  | { kind: 'limited'; usedWeight: number; retryAfterSec: number }
  | { kind: 'banned'; usedWeight: number; retryAfterSec: number; bannedUntilMs: number }

/** IP request-weight accounting per clock minute, order counts per account, and the 429 → 418 escalation. */
export class RateLimiter {
  readonly limits: RateLimits
  private readonly ips = new Map<string, IpState>()
  private readonly orders = new Map<string, { tenSec: number; count10s: number; minute: number; count1m: number }>()

  constructor(limits: RateLimits) {
    this.limits = limits
  }

  private ip(ip: string, nowMs: number): IpState {
    const minute = Math.floor(nowMs / 60_000)
    let st = this.ips.get(ip)
    if (!st) {
      st = { minute, weight: 0, backoffUntilMs: 0, bannedUntilMs: 0, bans: 0 }
      this.ips.set(ip, st)
    }
    if (st.minute !== minute) {
      st.minute = minute
      st.weight = 0
    }
    return st
  }

  /** Adds a request's weight. `forceLimit` answers 429 regardless of the weight used (fault injection). */
  charge(ip: string, weight: number, nowMs: number, forceLimit: boolean): WeightDecision {
    const st = this.ip(ip, nowMs)
    if (st.bannedUntilMs > nowMs) {
      return {
        kind: 'banned',
        usedWeight: st.weight,
        retryAfterSec: ceilSec(st.bannedUntilMs - nowMs),
        bannedUntilMs: st.bannedUntilMs,
      }
    }
    if (st.backoffUntilMs > nowMs) {
      // The client kept calling after a 429: ban, doubling each time.
      const banMs = Math.min(this.limits.banSeconds * 1000 * 2 ** st.bans, 3 * 86_400_000)
      st.bans += 1
      st.bannedUntilMs = nowMs + banMs
      st.backoffUntilMs = 0
      return { kind: 'banned', usedWeight: st.weight, retryAfterSec: ceilSec(banMs), bannedUntilMs: st.bannedUntilMs }
    }
    st.weight += weight
    if (forceLimit || st.weight > this.limits.requestWeightPerMinute) {
      const untilNextMinute = (st.minute + 1) * 60_000 - nowMs
      st.backoffUntilMs = nowMs + untilNextMinute
      return { kind: 'limited', usedWeight: st.weight, retryAfterSec: ceilSec(untilNextMinute) }
    }
    return { kind: 'ok', usedWeight: st.weight }
  }

  usedWeight(ip: string, nowMs: number): number {
    return this.ip(ip, nowMs).weight
  }

  /** True when one more order would break the account's 10 s or 1 min order limit (→ 429 -1015). */
  orderLimitReached(accountId: string, nowMs: number): { interval: '10s' | '1m'; limit: number } | null {
    const st = this.orders.get(accountId)
    if (!st) return null
    if (st.tenSec === Math.floor(nowMs / 10_000) && st.count10s >= this.limits.ordersPer10s) {
      return { interval: '10s', limit: this.limits.ordersPer10s }
    }
    if (st.minute === Math.floor(nowMs / 60_000) && st.count1m >= this.limits.ordersPerMinute) {
      return { interval: '1m', limit: this.limits.ordersPerMinute }
    }
    return null
  }

  /** Counts one accepted order for the account; returns the 10 s and 1 min counts. */
  countOrder(accountId: string, nowMs: number): { count10s: number; count1m: number } {
    const tenSec = Math.floor(nowMs / 10_000)
    const minute = Math.floor(nowMs / 60_000)
    let st = this.orders.get(accountId)
    if (!st) {
      st = { tenSec, count10s: 0, minute, count1m: 0 }
      this.orders.set(accountId, st)
    }
    if (st.tenSec !== tenSec) {
      st.tenSec = tenSec
      st.count10s = 0
    }
    if (st.minute !== minute) {
      st.minute = minute
      st.count1m = 0
    }
    st.count10s += 1
    st.count1m += 1
    return { count10s: st.count10s, count1m: st.count1m }
  }
}

function ceilSec(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}
