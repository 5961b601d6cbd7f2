import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, resolve } from 'node:path'
import { collectRunConfigIssues, throwRunConfigIssues } from './parseRunConfig.js'
import type { RunConfig } from './runConfig.js'
import {
  ConfigSyntaxError,
  ConfigUnreadableError,
  type InvalidRunConfigError,
  type RunConfigIssue,
} from './runConfigErrors.js'
import { scanJsonPositions } from './scanJsonPositions.js'

export type LoadRunConfigErrorType = ConfigUnreadableError | ConfigSyntaxError | InvalidRunConfigError

/**
 * Reads a run config JSON file and validates all of it at once (parseRunConfig: schema, unknown keys, cross-field
 * rules, plus: each data file exists), then resolves the data paths against the file's folder. Every problem names
 * the field as the config spells it, with its line and column in the file.
 * @throws ConfigUnreadableError | ConfigSyntaxError | InvalidRunConfigError
 */
export async function loadRunConfig(path: string): Promise<RunConfig> {
  const file = basename(path)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new ConfigUnreadableError({ file: path, cause })
  }
  const scan = scanJsonPositions(text)
  if (!scan.ok) {
    const lines = text.split('\n')
    const excerpt: string[] = []
    for (const n of [scan.line - 1, scan.line]) {
      const line = lines[n - 1]
      if (n >= 1 && line !== undefined) excerpt.push(`${String(n).padStart(5)} | ${line}`)
    }
    excerpt.push(`${' '.repeat(5)} | ${' '.repeat(scan.column - 1)}^`)
    throw new ConfigSyntaxError({
      file,
      line: scan.line,
      column: scan.column,
      expected: scan.expected,
      found: scan.found,
      excerpt,
    })
  }
  const parsed: unknown = JSON.parse(text)
  const base = dirname(resolve(path))
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p))
  const issues = collectRunConfigIssues(parsed)
  // The data files are checked with the rest, so a wrong path is reported together with every other problem.
  for (const field of ['data.poolEvents', 'data.klines', 'models.gas.file']) {
    const value = field.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), parsed)
    if (typeof value !== 'string' || value === '' || issues.some((i) => i.path === field)) continue
    const issue = await checkFile(field, at(value))
    if (issue) issues.push(issue)
  }
  throwRunConfigIssues(issues, { file, positions: scan.positions })
  const config = parsed as RunConfig
  const gas = config.models.gas
  return {
    ...config,
    data: { poolEvents: at(config.data.poolEvents), klines: at(config.data.klines) },
    models: { ...config.models, ...(gas?.kind === 'series' ? { gas: { ...gas, file: at(gas.file) } } : {}) },
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

async function checkFile(field: string, path: string): Promise<RunConfigIssue | undefined> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error)
  if (info instanceof Error) {
    const code = (info as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? info.message})`
    return { path: field, message: `${reason}: ${path} (a relative path starts at the config file's folder)` }
  }
  return info.isFile() ? undefined : { path: field, message: `is not a file: ${path}` }
}
