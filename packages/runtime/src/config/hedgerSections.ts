import { type HedgerConfigInput, hedgerConfigSchema } from '@alp/hedger'
import * as v from 'valibot'
import { toScreamingSnake } from './keys.js'
import type { IniEntry, IniSection } from './parseIni.js'

/**
 * The trader's `[HEDGER.*]` sections, read straight off @alp/hedger's `hedgerConfigSchema` (no second schema): every
 * nested object of the schema is a section, every field a key in SCREAMING_SNAKE (`risk.maxBasisBps` →
 * `[HEDGER.RISK] MAX_BASIS_BPS`, `calibration.intensity.mode` → `[HEDGER.CALIBRATION.INTENSITY] MODE`), and each entry of
 * `venues` is a section `[HEDGER.VENUE.<venue id>]` (its `contract` in `[HEDGER.VENUE.<venue id>.CONTRACT]`). Numbers,
 * booleans (true/false) and comma-separated number lists are converted from the INI text; then the whole object is
 * validated by `hedgerConfigSchema` itself, and each issue is mapped back to its file, section, key and line.
 */

type Leaf = { readonly kind: 'number' | 'boolean' | 'string' | 'numberList'; readonly field: string }
/** One section of the hedger: its keys, and for a variant the keys each option allows (by discriminator value). */
export type HedgerSectionSpec = {
  readonly path: readonly string[]
  readonly keys: ReadonlyMap<string, Leaf>
  readonly variant?: { readonly key: string; readonly keysByOption: ReadonlyMap<string, ReadonlySet<string>> }
}

// biome-ignore lint/suspicious/noExplicitAny: valibot schema objects are walked structurally
type AnySchema = any

function unwrap(schema: AnySchema): AnySchema {
  return schema.type === 'optional' || schema.type === 'nullish' ? unwrap(schema.wrapped) : schema
}

function leafOf(field: string, schema: AnySchema): Leaf {
  const s = unwrap(schema)
  if (s.type === 'number') return { kind: 'number', field }
  if (s.type === 'boolean') return { kind: 'boolean', field }
  if (s.type === 'array') return { kind: 'numberList', field }
  return { kind: 'string', field }
}

function describeObject(
  entries: Record<string, AnySchema>,
  section: string,
  path: readonly string[],
  out: Map<string, HedgerSectionSpec>,
  skip: ReadonlySet<string> = new Set(),
): void {
  const keys = new Map<string, Leaf>()
  for (const [field, raw] of Object.entries(entries)) {
    if (skip.has(field)) continue
    const s = unwrap(raw)
    if (s.type === 'object') describeObject(s.entries, `${section}.${toScreamingSnake(field)}`, [...path, field], out)
    else if (s.type === 'variant') describeVariant(s, `${section}.${toScreamingSnake(field)}`, [...path, field], out)
    else keys.set(toScreamingSnake(field), leafOf(field, s))
  }
  if (keys.size > 0) out.set(section, { path, keys })
}

function describeVariant(
  schema: AnySchema,
  section: string,
  path: readonly string[],
  out: Map<string, HedgerSectionSpec>,
): void {
  const keys = new Map<string, Leaf>()
  const keysByOption = new Map<string, Set<string>>()
  for (const option of schema.options as AnySchema[]) {
    const allowed = new Set<string>()
    let optionValue = ''
    for (const [field, raw] of Object.entries(option.entries as Record<string, AnySchema>)) {
      const key = toScreamingSnake(field)
      keys.set(key, leafOf(field, raw))
      allowed.add(key)
      if (field === schema.key) optionValue = String(unwrap(raw).literal)
    }
    keysByOption.set(optionValue, allowed)
  }
  out.set(section, { path, keys, variant: { key: toScreamingSnake(schema.key), keysByOption } })
}

const root = (hedgerConfigSchema as AnySchema).pipe[0].entries as Record<string, AnySchema>
const venueEntries = unwrap(root.venues).pipe[0].item.entries as Record<string, AnySchema>

/** The fixed sections (`HEDGER.MODEL`, `HEDGER.RISK`, …). */
export const HEDGER_SECTIONS: ReadonlyMap<string, HedgerSectionSpec> = (() => {
  const out = new Map<string, HedgerSectionSpec>()
  describeObject(root, 'HEDGER', [], out, new Set(['venues']))
  return out
})()

/** The per-venue sections, with `<id>` standing for the venue id: `HEDGER.VENUE.<id>`, `HEDGER.VENUE.<id>.CONTRACT`. */
export const HEDGER_VENUE_SECTIONS: ReadonlyMap<string, HedgerSectionSpec> = (() => {
  const out = new Map<string, HedgerSectionSpec>()
  describeObject(venueEntries, 'HEDGER.VENUE.<id>', [], out, new Set(['venue']))
  return out
})()

export type Located = { readonly section: string; readonly key: string | null; readonly line: number | null }
export type HedgerSectionsResult = {
  readonly input: HedgerConfigInput
  /** Problems before validation (unknown keys, unconvertible values) and after (hedgerConfigSchema issues). */
  readonly problems: readonly (Located & { readonly message: string })[]
  readonly output: v.InferOutput<typeof hedgerConfigSchema> | null
}

const VENUE_SECTION = /^HEDGER\.VENUE\.([A-Za-z0-9_-]+)((?:\.[A-Z_]+)*)$/

/** Finds the spec of a section name (with its venue id, for venue sections). */
export function findHedgerSection(name: string): { spec: HedgerSectionSpec; venueId: string | null } | null {
  const fixed = HEDGER_SECTIONS.get(name)
  if (fixed) return { spec: fixed, venueId: null }
  const match = VENUE_SECTION.exec(name)
  if (!match) return null
  const spec = HEDGER_VENUE_SECTIONS.get(`HEDGER.VENUE.<id>${match[2] ?? ''}`)
  return spec ? { spec, venueId: match[1] ?? '' } : null
}

function convert(entry: IniEntry, leaf: Leaf): { value: unknown } | { error: string } {
  const text = entry.value
  switch (leaf.kind) {
    case 'number':
      return /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text)
        ? { value: Number(text) }
        : { error: 'must be a number' }
    case 'boolean': {
      const lower = text.toLowerCase()
      if (lower === 'true' || lower === 'false') return { value: lower === 'true' }
      return { error: 'must be true or false' }
    }
    case 'numberList': {
      const items = text.split(',').map((item) => item.trim())
      if (items.some((item) => !/^-?[0-9]+(\.[0-9]+)?$/.test(item))) return { error: 'must be comma-separated numbers' }
      return { value: items.map(Number) }
    }
    default:
      return { value: text }
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target
  for (const part of path.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {}
    node = node[part] as Record<string, unknown>
  }
  node[path.at(-1) as string] = value
}

/**
 * Builds and validates the hedger config from the trader's `[HEDGER.*]` sections (names without the role prefix). Unknown
 * sections and keys are reported by the caller (it owns the did-you-mean); here every known key is converted.
 */
export function buildHedgerConfig(sections: readonly IniSection[]): HedgerSectionsResult {
  const problems: (Located & { message: string })[] = []
  const input: Record<string, unknown> = {}
  const venues: Record<string, unknown>[] = []
  const venueIndex = new Map<string, number>()
  /** dot path of the hedger input → where it was written. */
  const where = new Map<string, Located>()
  const sectionOfPath = new Map<string, IniSection>()
  for (const section of sections) {
    const found = findHedgerSection(section.name)
    if (!found) continue
    const { spec, venueId } = found
    const base: string[] = [...spec.path]
    let target = input
    if (venueId !== null) {
      let index = venueIndex.get(venueId)
      if (index === undefined) {
        index = venues.length
        venueIndex.set(venueId, index)
        venues.push({ venue: venueId })
        where.set(`venues.${index}`, { section: `HEDGER.VENUE.${venueId}`, key: null, line: section.line })
      }
      target = venues[index] as Record<string, unknown>
      sectionOfPath.set(['venues', index, ...spec.path].join('.'), section)
    } else sectionOfPath.set(spec.path.join('.'), section)
    const prefix = venueId === null ? spec.path : ['venues', String(venueIndex.get(venueId)), ...spec.path]
    if (base.length > 0) setPath(target, base, {})
    const chosen = spec.variant ? section.entries.find((e) => e.key === spec.variant?.key)?.value : undefined
    for (const entry of section.entries) {
      const leaf = spec.keys.get(entry.key)
      if (!leaf) continue
      if (spec.variant && chosen !== undefined) {
        const allowed = spec.variant.keysByOption.get(chosen)
        if (allowed && !allowed.has(entry.key)) {
          problems.push({
            section: section.name,
            key: entry.key,
            line: entry.line,
            message: `not used when ${spec.variant.key} = ${chosen}`,
          })
          continue
        }
      }
      const converted = convert(entry, leaf)
      if ('error' in converted) {
        problems.push({ section: section.name, key: entry.key, line: entry.line, message: converted.error })
        continue
      }
      setPath(target, [...base, leaf.field], converted.value)
      where.set([...prefix, leaf.field].join('.'), { section: section.name, key: entry.key, line: entry.line })
    }
  }
  input.venues = venues
  if (problems.length > 0) return { input: input as HedgerConfigInput, problems, output: null }
  const result = v.safeParse(hedgerConfigSchema, input)
  if (result.success) return { input: input as HedgerConfigInput, problems, output: result.output }
  for (const issue of result.issues) {
    const path = v.getDotPath(issue)
    const located = path === null ? undefined : (where.get(path) ?? nearest(path, where, sectionOfPath))
    const field = path === null ? '' : `${path}: `
    if (located) problems.push({ ...located, message: issue.message })
    else if (path === 'venues')
      problems.push({
        section: 'HEDGER.VENUE.<id>',
        key: null,
        line: null,
        message: `${issue.message} (add a [HEDGER.VENUE.<venue id>] section)`,
      })
    else problems.push({ section: 'HEDGER', key: null, line: null, message: `${field}${issue.message}` })
  }
  return { input: input as HedgerConfigInput, problems, output: null }
}

/** A missing required field: the section it belongs to, with the key it should have. */
function nearest(path: string, where: Map<string, Located>, sections: Map<string, IniSection>): Located | undefined {
  const parts = path.split('.')
  for (let n = parts.length - 1; n >= 0; n--) {
    const parent = parts.slice(0, n).join('.')
    const section = sections.get(parent)
    const key = toScreamingSnake(parts.slice(n).join('.')).replace(/\./g, '_')
    if (section) return { section: section.name, key, line: section.line }
    const loc = where.get(parent)
    if (loc) return { section: loc.section, key, line: loc.line }
  }
  return undefined
}
