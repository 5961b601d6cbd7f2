import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { RebalancePlanStoreError } from '../errors/rebalance.js'
import type { RebalancePlan } from './types.js'

/** Where a plan lives between steps. One plan per store (one pool + wallet). */
export interface RebalancePlanStore {
  /** The saved plan, or null when there is none. */
  load(): Promise<RebalancePlan | null>
  /** Durably replaces the saved plan (a crash leaves either the old or the new version, never a torn one). */
  save(plan: RebalancePlan): Promise<void>
  clear(): Promise<void>
}

export type RebalancePlanStoreErrorType = RebalancePlanStoreError

const BIGINT_TAG = '$bigint'

/** JSON with every bigint as `{ "$bigint": "123" }` (exact, and distinguishable from a string field). */
export function serializeRebalancePlan(plan: RebalancePlan): string {
  return JSON.stringify(
    plan,
    (_key, value) => (typeof value === 'bigint' ? { [BIGINT_TAG]: value.toString() } : value),
    2,
  )
}

/** Inverse of `serializeRebalancePlan`; checks the schema version. */
export function deserializeRebalancePlan(text: string, path = 'the plan'): RebalancePlan {
  let parsed: unknown
  try {
    parsed = JSON.parse(text, (_key, value) =>
      value !== null &&
      typeof value === 'object' &&
      typeof value[BIGINT_TAG] === 'string' &&
      Object.keys(value).length === 1
        ? BigInt(value[BIGINT_TAG])
        : value,
    )
  } catch (cause) {
    throw new RebalancePlanStoreError({ path, operation: 'load', problem: 'not valid JSON', cause })
  }
  const version = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion
  if (version !== 1) {
    throw new RebalancePlanStoreError({ path, operation: 'load', problem: `unknown schemaVersion ${String(version)}` })
  }
  return parsed as RebalancePlan
}

/**
 * A plan in one JSON file. `save` writes a temporary file in the same directory, fsyncs it, renames it over the
 * plan (atomic on POSIX) and fsyncs the directory, so a crash at any moment leaves a complete plan.
 */
export class FileRebalancePlanStore implements RebalancePlanStore {
  readonly path: string

  constructor(path: string) {
    this.path = path
  }

  async load(): Promise<RebalancePlan | null> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw new RebalancePlanStoreError({ path: this.path, operation: 'load', problem: 'cannot read', cause })
    }
    return deserializeRebalancePlan(text, this.path)
  }

  async save(plan: RebalancePlan): Promise<void> {
    const dir = dirname(this.path)
    const temp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await mkdir(dir, { recursive: true })
      const file = await open(temp, 'w', 0o600)
      try {
        await file.writeFile(serializeRebalancePlan(plan), 'utf8')
        await file.sync()
      } finally {
        await file.close()
      }
      await rename(temp, this.path)
      const d = await open(dir, 'r')
      try {
        await d.sync()
      } catch {
        // Some platforms cannot fsync a directory; the rename is still atomic.
      } finally {
        await d.close()
      }
    } catch (cause) {
      await rm(temp, { force: true }).catch(() => undefined)
      throw new RebalancePlanStoreError({ path: this.path, operation: 'save', problem: 'cannot write', cause })
    }
  }

  async clear(): Promise<void> {
    try {
      await rm(this.path, { force: true })
    } catch (cause) {
      throw new RebalancePlanStoreError({ path: this.path, operation: 'clear', problem: 'cannot remove', cause })
    }
  }
}

/** In-memory store (tests, or a caller persisting elsewhere); keeps a serialized copy so no object is shared. */
export class MemoryRebalancePlanStore implements RebalancePlanStore {
  #text: string | null = null

  async load(): Promise<RebalancePlan | null> {
    return this.#text === null ? null : deserializeRebalancePlan(this.#text, 'memory')
  }

  async save(plan: RebalancePlan): Promise<void> {
    this.#text = serializeRebalancePlan(plan)
  }

  async clear(): Promise<void> {
    this.#text = null
  }
}
