import type { Clock } from './clock.js'

/** What a limit counts: IP request weight, account order count, or raw requests. */
export type RateLimitKind = 'weight' | 'orders' | 'raw'

/** One published limit, e.g. `{ kind: 'weight', intervalMs: 60_000, limit: 2400 }`. */
export type RateLimitRule = { readonly kind: RateLimitKind; readonly intervalMs: number; readonly limit: number }

/** Cost of one request. */
export type RequestCost = { readonly weight: number; readonly orders?: number }

type Window = { rule: RateLimitRule; windowStartMs: number; used: number }

export type RateLimiterParameters = {
  rules: readonly RateLimitRule[]
  clock: Clock
  /** Fraction of each published limit we allow ourselves (default 0.8): headroom so a 429 never happens. */
  budgetFraction?: number
}

/**
 * Client-side rate limiter driven by the venue's published limits (`exchangeInfo.rateLimits`) and corrected by its
 * response headers (`X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S`, `-1M`), which are the server's own counters.
 * Windows are fixed and aligned to the interval (as Binance counts). After a 429/418 nothing is sent until
 * `Retry-After` has passed, so a 429 can never escalate to a 418 ban. Pure apart from the injected clock.
 */
export class RateLimiter {
  private windows: Window[]
  private readonly clock: Clock
  private readonly budgetFraction: number
  private blockedUntilMs = 0
  /** Count of 429/418 answers seen (a metric; should stay 0). */
  rateLimitedCount = 0

  constructor(parameters: RateLimiterParameters) {
    this.clock = parameters.clock
    this.budgetFraction = parameters.budgetFraction ?? 0.8
    this.windows = parameters.rules.map((rule) => ({ rule, windowStartMs: 0, used: 0 }))
  }

  /** Replaces the rules (e.g. after `exchangeInfo`), keeping counts of rules that did not change. */
  setRules(rules: readonly RateLimitRule[]): void {
    this.windows = rules.map((rule) => {
      const same = this.windows.find((w) => w.rule.kind === rule.kind && w.rule.intervalMs === rule.intervalMs)
      return { rule, windowStartMs: same?.windowStartMs ?? 0, used: same?.used ?? 0 }
    })
  }

  get rules(): readonly RateLimitRule[] {
    return this.windows.map((w) => w.rule)
  }

  /** Milliseconds to wait before a request of `cost` may be sent (0 = now). */
  delayMs(cost: RequestCost): number {
    const now = this.clock.nowMs()
    let delay = Math.max(0, this.blockedUntilMs - now)
    for (const w of this.windows) {
      this.roll(w, now)
      const amount = this.amountFor(w.rule.kind, cost)
      if (amount === 0) continue
      const budget = Math.floor(w.rule.limit * this.budgetFraction)
      if (w.used + amount > budget) delay = Math.max(delay, w.windowStartMs + w.rule.intervalMs - now)
    }
    return delay
  }

  /** Counts a request that is being sent now. */
  record(cost: RequestCost): void {
    const now = this.clock.nowMs()
    for (const w of this.windows) {
      this.roll(w, now)
      w.used += this.amountFor(w.rule.kind, cost)
    }
  }

  /** Applies the server's counters from response headers (names are case-insensitive). */
  onHeaders(headers: Readonly<Record<string, string | undefined>>): void {
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue
      const match = /^x-mbx-(used-weight|order-count)-(\d+)([smhd])$/i.exec(name)
      if (!match) continue
      const kind: RateLimitKind = match[1]!.toLowerCase() === 'used-weight' ? 'weight' : 'orders'
      const intervalMs = Number(match[2]) * UNIT_MS[match[3]!.toLowerCase() as keyof typeof UNIT_MS]
      this.onServerCount(kind, intervalMs, Number(value))
    }
  }

  /**
   * The venue's own count for one window (a response header, a WebSocket-API `rateLimits[]` entry), including this
   * request. Raises our count to it; in-flight requests may not be in the server's number yet, so it never lowers it.
   */
  onServerCount(kind: RateLimitKind, intervalMs: number, used: number): void {
    if (!Number.isFinite(used)) return
    const w = this.windows.find((x) => x.rule.kind === kind && x.rule.intervalMs === intervalMs)
    if (!w) return
    this.roll(w, this.clock.nowMs())
    w.used = Math.max(w.used, used)
  }

  /** A 429 or 418 arrived: block every request until `retryAfterMs` from now (or the end of the longest window). */
  onRateLimited(retryAfterMs: number | undefined): void {
    this.rateLimitedCount++
    const now = this.clock.nowMs()
    const fallback = Math.max(1000, ...this.windows.map((w) => w.windowStartMs + w.rule.intervalMs - now))
    this.blockedUntilMs = Math.max(this.blockedUntilMs, now + (retryAfterMs ?? fallback))
  }

  /** Current used amount in the window of `kind`/`intervalMs` (for metrics and tests). */
  used(kind: RateLimitKind, intervalMs: number): number {
    const w = this.windows.find((x) => x.rule.kind === kind && x.rule.intervalMs === intervalMs)
    if (!w) return 0
    this.roll(w, this.clock.nowMs())
    return w.used
  }

  private roll(w: Window, now: number): void {
    const start = Math.floor(now / w.rule.intervalMs) * w.rule.intervalMs
    if (start !== w.windowStartMs) {
      w.windowStartMs = start
      w.used = 0
    }
  }

  private amountFor(kind: RateLimitKind, cost: RequestCost): number {
    if (kind === 'weight') return cost.weight
    if (kind === 'orders') return cost.orders ?? 0
    return 1
  }
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** Converts `exchangeInfo.rateLimits` (`{rateLimitType, interval, intervalNum, limit}`) to rules. */
export function rateLimitRulesFromExchangeInfo(
  rateLimits: readonly { rateLimitType: string; interval: string; intervalNum: number; limit: number }[],
): RateLimitRule[] {
  const intervalMs: Record<string, number> = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 }
  const out: RateLimitRule[] = []
  for (const r of rateLimits) {
    const unit = intervalMs[r.interval]
    if (unit === undefined) continue
    const kind: RateLimitKind | undefined =
      r.rateLimitType === 'REQUEST_WEIGHT'
        ? 'weight'
        : r.rateLimitType === 'ORDERS'
          ? 'orders'
          : r.rateLimitType === 'RAW_REQUESTS'
            ? 'raw'
            : undefined
    if (kind) out.push({ kind, intervalMs: unit * r.intervalNum, limit: r.limit })
  }
  return out
}
