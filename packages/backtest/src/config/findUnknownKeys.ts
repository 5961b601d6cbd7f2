import { joinConfigPath } from './scanJsonPositions.js'

/** The parts of a valibot schema this walk reads (objects, optional wrappers, arrays, variants, literals). */
type SchemaNode = {
  readonly type: string
  readonly entries?: Readonly<Record<string, SchemaNode>>
  readonly wrapped?: SchemaNode
  readonly item?: SchemaNode
  readonly options?: readonly SchemaNode[]
  readonly key?: string
  readonly literal?: unknown
}

export type UnknownKey = { readonly path: string; readonly key: string; readonly suggestion: string | undefined }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Every key of `value` that `schema` does not declare, at any depth, with the closest declared key of the same object
 * as a suggestion. valibot's `object` drops unknown keys silently; a misspelt optional key would then fall back to
 * its default without a word, so the run config treats every unknown key as an error.
 */
export function findUnknownKeys(schema: unknown, value: unknown, path = ''): UnknownKey[] {
  const out: UnknownKey[] = []
  walk(schema as SchemaNode, value, path, out)
  return out
}

function walk(schema: SchemaNode, value: unknown, path: string, out: UnknownKey[]): void {
  if (value === undefined) return
  switch (schema.type) {
    case 'optional':
    case 'exact_optional':
    case 'nullish':
    case 'nullable':
    case 'non_optional':
      if (schema.wrapped) walk(schema.wrapped, value, path, out)
      return
    case 'array':
      if (schema.item === undefined || !Array.isArray(value)) return
      for (const [i, item] of value.entries()) walk(schema.item, item, joinConfigPath(path, i), out)
      return
    case 'variant': {
      if (!isRecord(value) || schema.key === undefined) return
      const tag = value[schema.key]
      const option = schema.options?.find((o) => o.entries?.[schema.key!]?.literal === tag)
      if (option) walk(option, value, path, out)
      return
    }
    case 'object':
    case 'strict_object':
    case 'loose_object': {
      if (!isRecord(value) || schema.entries === undefined) return
      const known = Object.keys(schema.entries)
      for (const [key, child] of Object.entries(value)) {
        const entry = schema.entries[key]
        if (entry === undefined) out.push({ path: joinConfigPath(path, key), key, suggestion: suggestKey(key, known) })
        else walk(entry, child, joinConfigPath(path, key), out)
      }
      return
    }
    default:
      return
  }
}

/** The known key closest to `key` (case-insensitive edit distance within a third of its length), if any. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase()
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const c = candidate.toLowerCase()
    const distance =
      c === k ? 0 : c.startsWith(k) || k.startsWith(c) ? Math.abs(c.length - k.length) : editDistance(k, c)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}
