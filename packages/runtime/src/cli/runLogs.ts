import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { checkConfigFiles } from '../config/loadConfig.js'
import { controlPathsOf } from '../control/controlFiles.js'
import { formatConfigIssue } from '../errors/config.js'
import type { CliIo } from './createProgram.js'
import { EXIT, type ExitCode } from './exitCodes.js'
import { mainRoleOf } from './runStop.js'

export type RunLogsOptions = {
  readonly files: readonly string[]
  readonly roles?: readonly string[] | undefined
  /** Raw NDJSON lines (as written) instead of the human format. */
  readonly json?: boolean | undefined
  /** The last N lines (after the level filter). Default 50. */
  readonly lines?: number | undefined
  /** Only lines at this level or above (trace, debug, info, warn, error, fatal). */
  readonly level?: string | undefined
  /** Keep printing new lines until SIGINT/SIGTERM (`io.waitForStop`). */
  readonly follow?: boolean | undefined
  /** --follow: how often the file is checked for new lines, ms. Default 200. */
  readonly pollMs?: number | undefined
}

/** pino's numeric levels. */
export const LOG_LEVEL_VALUES: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
}

const CHUNK_BYTES = 64 * 1024

/**
 * `alp logs`: the NDJSON log of the config's `alp start` (`<DATA_DIR>/<PROCESS_NAME>.log`, secrets already scrubbed
 * when written), the last `--lines` lines at `--level` or above, human-readable or raw (`--json`); `--follow` keeps
 * printing new lines. Works while the process runs and after it stopped; exit 5 when there is no log.
 */
export async function runLogs(io: CliIo, options: RunLogsOptions): Promise<ExitCode> {
  const minLevel = options.level === undefined ? 0 : LOG_LEVEL_VALUES[options.level.toLowerCase()]
  if (minLevel === undefined) {
    io.stderr(`unknown level ${options.level}: one of ${Object.keys(LOG_LEVEL_VALUES).join(', ')}\n`)
    return EXIT.USAGE
  }
  const checked = checkConfigFiles([...options.files], { env: io.env })
  if (checked.config === null) {
    io.stderr(`${checked.issues.map(formatConfigIssue).join('\n')}\n`)
    return EXIT.CONFIG_INVALID
  }
  const main = mainRoleOf(checked.config.roles, options.roles)
  if (main === undefined) {
    io.stderr('no role selected\n')
    return EXIT.USAGE
  }
  const path = controlPathsOf(main.dataDir, main.processName).log
  if (!existsSync(path)) {
    io.stderr(`not running: no log at ${path}\n`)
    return EXIT.NOT_RUNNING
  }
  const keep = (line: string): boolean => line.trim() !== '' && levelOf(line) >= minLevel
  const print = (line: string): void => io.stdout(`${options.json ? line : formatLogLine(line)}\n`)
  const { lines, end } = tailLines(path, options.lines ?? 50, keep)
  for (const line of lines) print(line)
  if (!options.follow) return EXIT.OK
  let offset = end
  let partial = ''
  const poll = (): void => {
    const size = statSync(path).size
    if (size < offset) offset = 0 // truncated or replaced: read it again from the start
    if (size === offset) return
    const text = readRange(path, offset, size)
    offset = size
    const parts = (partial + text).split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) if (keep(line)) print(line)
  }
  const timer = setInterval(poll, options.pollMs ?? 200)
  try {
    await (io.waitForStop ?? waitForSignal)()
  } finally {
    clearInterval(timer)
  }
  poll()
  return EXIT.OK
}

/** The level of a pino line (0 when it has none or is not JSON: such lines are always shown). */
function levelOf(line: string): number {
  const match = /"level":(\d+)/.exec(line)
  return match === null ? 0 : Number(match[1])
}

/**
 * The last `count` complete lines that `keep` accepts, read backwards in chunks; `end` = the offset after the last
 * complete line (a line still being written is left for --follow).
 */
function tailLines(path: string, count: number, keep: (line: string) => boolean): { lines: string[]; end: number } {
  const size = statSync(path).size
  let position = size
  let text = ''
  let lines: string[] = []
  let end = size
  while (position > 0) {
    const start = Math.max(0, position - CHUNK_BYTES)
    text = readRange(path, start, position) + text
    position = start
    const lastNewline = text.lastIndexOf('\n')
    const complete = lastNewline < 0 ? '' : text.slice(0, lastNewline)
    end = position + Buffer.byteLength(text.slice(0, lastNewline + 1))
    const parts = complete.split('\n')
    if (position > 0) parts.shift() // the first part may be the tail of an earlier line
    lines = parts.filter(keep)
    if (lines.length >= count) break
  }
  return { lines: lines.slice(-count), end }
}

function readRange(path: string, start: number, end: number): string {
  const buffer = Buffer.alloc(end - start)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, buffer, 0, buffer.length, start)
  } finally {
    closeSync(fd)
  }
  return buffer.toString('utf8')
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
}
const SKIP = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname'])

/**
 * One pino NDJSON line as text: `2026-01-05T10:00:00.000Z INFO  trader: message key=value …` (nested values as JSON,
 * an error's stack on the following lines). A line that is not JSON is returned as it is.
 */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    // Not a pino line (e.g. a crash's stderr appended by a supervisor): shown unchanged.
    return line
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString() : '-'
  const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(5)
  const fields: string[] = []
  let stack: string | null = null
  for (const [key, value] of Object.entries(entry)) {
    if (SKIP.has(key)) continue
    if ((key === 'err' || key === 'error') && typeof value === 'object' && value !== null) {
      const err = value as { message?: unknown; stack?: unknown }
      fields.push(`${key}=${JSON.stringify(err.message ?? '')}`)
      if (typeof err.stack === 'string') stack = err.stack
      continue
    }
    fields.push(
      `${key}=${typeof value === 'string' ? (/\s/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value)}`,
    )
  }
  const head = `${time} ${level} ${String(entry.name ?? '')}: ${String(entry.msg ?? '')}${fields.length === 0 ? '' : ` ${fields.join(' ')}`}`
  return stack === null ? head : `${head}\n    ${stack.split('\n').join('\n    ')}`
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      resolve(signal)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}
