/** Reconnect/retry backoff policy. */
export type BackoffPolicy = {
  /** Delay cap for attempt 0. */
  readonly baseMs: number
  /** Upper bound on any delay. */
  readonly maxMs: number
}

/**
 * Jittered exponential backoff ("equal jitter"): cap = min(maxMs, baseMs · 2^attempt); delay is uniform in
 * [cap/2, cap). Half the cap is guaranteed (no reconnect storms), the other half is spread to de-synchronise clients.
 * `random` is injected (returns a number in [0, 1)).
 */
export function computeBackoffMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30))
  return Math.floor(cap / 2 + random() * (cap / 2))
}
