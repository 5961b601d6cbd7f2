/** One failure a role reported, as `alp status` lists it (newest last). */
export type RecentError = {
  readonly atMs: number
  readonly role: string
  readonly venue: string | null
  /** The error's first line (its code first when it has one). Never a secret: the roles' errors carry none. */
  readonly message: string
}

export type RecentErrors = {
  /** createDeployment's `onError` (besides the log). */
  push(error: unknown, context: { readonly role: string; readonly venue?: string }): void
  /** The last `capacity` failures, oldest first. */
  list(): RecentError[]
  /** Failures reported since the start (also those no longer listed). */
  readonly total: number
}

/** A ring buffer of the last `capacity` role failures (default 50), fed by createDeployment's `onError`. */
export function createRecentErrors(options: { capacity?: number; nowMs?: () => number } = {}): RecentErrors {
  const capacity = options.capacity ?? 50
  const nowMs = options.nowMs ?? Date.now
  const ring: RecentError[] = []
  let total = 0
  return {
    push(error, context) {
      total += 1
      const code = (error as { code?: unknown } | null)?.code
      const text = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error)
      ring.push({
        atMs: nowMs(),
        role: context.role,
        venue: context.venue ?? null,
        message: typeof code === 'string' && !text.startsWith(code) ? `${code}: ${text}` : text,
      })
      if (ring.length > capacity) ring.shift()
    },
    list: () => [...ring],
    get total() {
      return total
    },
  }
}
