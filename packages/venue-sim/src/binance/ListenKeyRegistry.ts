/** One listenKey per account, shared by every client of that account (as on Binance). */
export type ListenKeyEntry = { listenKey: string; accountId: string; expiresAtMs: number }

export class ListenKeyRegistry {
  private readonly byKey = new Map<string, ListenKeyEntry>()
  private readonly byAccount = new Map<string, string>()
  private readonly ttlMs: number
  private readonly newKey: () => string

  constructor(ttlMs: number, newKey: () => string) {
    this.ttlMs = ttlMs
    this.newKey = newKey
  }

  /** POST: returns the account's active key extended by the TTL, or a new key. */
  start(accountId: string, nowMs: number): ListenKeyEntry {
    const existing = this.byAccount.get(accountId)
    const entry = existing === undefined ? undefined : this.byKey.get(existing)
    if (entry && entry.expiresAtMs > nowMs) {
      entry.expiresAtMs = nowMs + this.ttlMs
      return entry
    }
    const fresh: ListenKeyEntry = { listenKey: this.newKey(), accountId, expiresAtMs: nowMs + this.ttlMs }
    this.byKey.set(fresh.listenKey, fresh)
    this.byAccount.set(accountId, fresh.listenKey)
    return fresh
  }

  /** PUT: extends the account's active key; null when it has none (→ -1125). */
  keepAlive(accountId: string, nowMs: number): ListenKeyEntry | null {
    const key = this.byAccount.get(accountId)
    const entry = key === undefined ? undefined : this.byKey.get(key)
    if (!entry || entry.expiresAtMs <= nowMs) return null
    entry.expiresAtMs = nowMs + this.ttlMs
    return entry
  }

  /** DELETE: closes the account's key; returns it (null when none). */
  close(accountId: string): ListenKeyEntry | null {
    const key = this.byAccount.get(accountId)
    if (key === undefined) return null
    const entry = this.byKey.get(key) ?? null
    this.byKey.delete(key)
    this.byAccount.delete(accountId)
    return entry
  }

  active(listenKey: string, nowMs: number): ListenKeyEntry | null {
    const entry = this.byKey.get(listenKey)
    return entry && entry.expiresAtMs > nowMs ? entry : null
  }

  /** Keys that have lapsed at `nowMs` (removed from the registry). */
  collectExpired(nowMs: number): ListenKeyEntry[] {
    const out: ListenKeyEntry[] = []
    for (const entry of this.byKey.values()) if (entry.expiresAtMs <= nowMs) out.push(entry)
    for (const entry of out) {
      this.byKey.delete(entry.listenKey)
      if (this.byAccount.get(entry.accountId) === entry.listenKey) this.byAccount.delete(entry.accountId)
    }
    return out
  }

  /** Expires keys now (fault injection): all, or only `listenKey`. */
  expireNow(nowMs: number, listenKey?: string | undefined): void {
    for (const entry of this.byKey.values()) {
      if (listenKey === undefined || entry.listenKey === listenKey) entry.expiresAtMs = nowMs
    }
  }
}
