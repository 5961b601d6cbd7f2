import { TICK_SPACINGS } from '@alp/uniswap-lp'
import * as v from 'valibot'
import { findUnknownKeys } from './findUnknownKeys.js'
import type { RunConfig } from './runConfig.js'
import { InvalidRunConfigError, type RunConfigIssue } from './runConfigErrors.js'
import { runConfigSchema } from './runConfigSchema.js'
import { joinConfigPath, type TextPosition } from './scanJsonPositions.js'

export type ParseRunConfigParameters = {
  /** File name for the messages (`config.json`). */
  file?: string | undefined
  /** Where each value starts in the file (scanJsonPositions), to give every problem a line and column. */
  positions?: ReadonlyMap<string, TextPosition> | undefined
}

export type ParseRunConfigErrorType = InvalidRunConfigError

/**
 * Validates a run config (already parsed from JSON) against {@link runConfigSchema}, rejects unknown keys with a
 * "did you mean" suggestion, and checks the cross-field rules: the seed fee tier and tick spacing against
 * `pool.feePips`, and `venue` against its entry in `hedger.venues`. Every problem is reported at once, sorted by
 * position in the file. Returns the input unchanged (no defaults are filled in here; the hedger fills its own).
 * @throws InvalidRunConfigError
 */
export function parseRunConfig(input: unknown, { file, positions }: ParseRunConfigParameters = {}): RunConfig {
  throwRunConfigIssues(collectRunConfigIssues(input), { file, positions })
  return input as RunConfig
}

/** Throws one InvalidRunConfigError listing `issues` (sorted by line and column when positions are known), if any. */
export function throwRunConfigIssues(
  issues: readonly RunConfigIssue[],
  { file, positions }: ParseRunConfigParameters,
): void {
  if (issues.length === 0) return
  const located = issues.map((issue) => locate(issue, positions))
  const end = Number.MAX_SAFE_INTEGER
  located.sort((a, b) => (a.line ?? end) - (b.line ?? end) || (a.column ?? 0) - (b.column ?? 0))
  throw new InvalidRunConfigError({ file, issues: located })
}

/** Every problem of a run config (empty when it is valid), without positions. */
export function collectRunConfigIssues(input: unknown): RunConfigIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ path: '(root)', message: 'must be a JSON object with the run config fields', received: show(input) }]
  }
  const issues: RunConfigIssue[] = []
  const result = v.safeParse(runConfigSchema, input)
  if (!result.success) {
    for (const issue of result.issues) {
      let path = ''
      for (const item of issue.path ?? []) path = joinConfigPath(path, item.key as string | number)
      const missing = issue.input === undefined && issue.kind === 'schema'
      const hint = MISSING_HINTS[path]
      issues.push({
        path: path === '' ? '(root)' : path,
        message: missing ? `is missing${hint ? ` (${hint})` : ''}` : plain(issue.message),
        received: missing ? undefined : show(issue.input),
      })
    }
  }
  const unknownKeys = findUnknownKeys(runConfigSchema, input)
  for (const unknown of unknownKeys) {
    issues.push({
      path: unknown.path,
      message: `unknown key${unknown.suggestion === undefined ? '' : `; did you mean "${unknown.suggestion}"?`}`,
    })
  }
  // A missing field next to its misspelling: say so on the missing one too.
  for (const [i, issue] of issues.entries()) {
    if (!issue.message.startsWith('is missing')) continue
    const typo = unknownKeys.find((u) => u.suggestion !== undefined && siblingPath(u.path, u.suggestion) === issue.path)
    if (typo) issues[i] = { ...issue, message: `${issue.message}; "${typo.key}" is there instead` }
  }
  issues.push(...crossFieldIssues(input as Record<string, unknown>, issues))
  return issues
}

/** What to write for a missing field whose choice is not obvious from its name (the models have no defaults). */
const MISSING_HINTS: Readonly<Record<string, string>> = {
  'models.fill': 'no default: { "kind": "touch" } or { "kind": "tradeThrough" }',
  'models.exchange': 'no default: { "kind": "noPartialFill" } or { "kind": "partialFill", "participation": 0.1 }',
  'models.fee': 'no default: { "kind": "makerTaker", "makerFeeBps": "2", "takerFeeBps": "5" }',
  'models.latency': 'no default: { "kind": "constant", "entryMs": 50, "responseMs": 50 }',
  'models.gas':
    'no default: { "kind": "constant", "gasPriceGwei": "20" } or { "kind": "series", "file": "gas_price.csv" }',
}

function crossFieldIssues(config: Record<string, unknown>, found: readonly RunConfigIssue[]): RunConfigIssue[] {
  const out: RunConfigIssue[] = []
  const get = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
        config,
      )
  // A rule that reads a field already reported as wrong would only repeat that problem.
  const valid = (...paths: string[]) =>
    paths.every((p) => !found.some((i) => i.path === p || i.path.startsWith(`${p}.`) || i.path.startsWith(`${p}[`)))

  if (valid('pool.feePips', 'lp.seed.FEE_TIER')) {
    const feePips = get('pool.feePips') as number
    const seedFee = get('lp.seed.FEE_TIER') as number
    const seedPips = Math.round(seedFee * 1_000_000)
    if (seedPips !== feePips) {
      out.push({
        path: 'lp.seed.FEE_TIER',
        received: show(seedFee),
        message: `is the ${seedPips}-pip tier but pool.feePips is ${feePips}: set FEE_TIER to ${feePips / 1_000_000} (or fix pool.feePips)`,
      })
    }
  }
  if (valid('pool.feePips', 'pool.tickSpacing')) {
    const feePips = get('pool.feePips') as number
    const spacing = get('pool.tickSpacing') as number
    if (TICK_SPACINGS[feePips] !== spacing) {
      out.push({
        path: 'pool.tickSpacing',
        received: show(spacing),
        message: `must be ${TICK_SPACINGS[feePips]}, the tick spacing of the ${feePips}-pip tier (pool.feePips)`,
      })
    }
  }
  if (valid('venue', 'hedger.venues')) {
    const venue = get('venue') as { name: string; tickSize: string; stepSize: string }
    const venues = get('hedger.venues') as { venue: string; tickSize: string; stepSize: string }[]
    const index = venues.findIndex((h) => h.venue === venue.name)
    if (index < 0) {
      out.push({
        path: 'venue.name',
        received: show(venue.name),
        message: `must be one of hedger.venues[].venue (${venues.map((h) => `"${h.venue}"`).join(', ')})`,
      })
    } else {
      const hedged = venues[index]!
      for (const field of ['tickSize', 'stepSize'] as const) {
        if (sameDecimal(venue[field], hedged[field])) continue
        out.push({
          path: `venue.${field}`,
          received: show(venue[field]),
          message: `must equal hedger.venues[${index}].${field} ${show(hedged[field])}: the hedger quotes on its grid and the simulator fills on this one (a mismatch silently breaks the hedge)`,
        })
      }
    }
  }
  return out
}

/** The path of key `key` next to the value at `path` (same parent object). */
function siblingPath(path: string, key: string): string {
  const cut = path.lastIndexOf('.')
  return cut < 0 ? key : `${path.slice(0, cut)}.${key}`
}

/** "0.010" and "0.01" are the same grid. */
function sameDecimal(a: string, b: string): boolean {
  const norm = (s: string) => {
    const [whole = '', fraction = ''] = s.split('.')
    return `${whole.replace(/^0+(?=\d)/, '')}.${fraction.replace(/0+$/, '')}`
  }
  return norm(a) === norm(b)
}

function locate(issue: RunConfigIssue, positions: ReadonlyMap<string, TextPosition> | undefined): RunConfigIssue {
  if (positions === undefined) return issue
  // A missing field has no position: point at the closest enclosing value that exists.
  for (let path = issue.path; ; ) {
    const at = positions.get(path === '(root)' ? '' : path)
    if (at !== undefined) return { ...issue, line: at.line, column: at.column }
    if (path === '' || path === '(root)') return issue
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['))
    path = cut < 0 ? '' : path.slice(0, cut)
  }
}

/** valibot's generic messages start with "Invalid type: "; ours already read "must be …". */
function plain(message: string): string {
  return message.replace(/^Invalid (type|key|length|value): /, '')
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
