import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Where a running `alp start` tells the CLI how to reach it: next to its pid file. */
export type ControlPaths = {
  /** `<DATA_DIR>/<PROCESS_NAME>.pid` (the process that runs). */
  readonly pid: string
  /** `<DATA_DIR>/<PROCESS_NAME>.control.json`: the control server's URL (never the token). */
  readonly control: string
  /** `<DATA_DIR>/<PROCESS_NAME>.token`: the bearer token of this start, mode 0600. */
  readonly token: string
  /** `<DATA_DIR>/<PROCESS_NAME>.log`: the NDJSON log (`alp logs`). */
  readonly log: string
}

/** What `<PROCESS_NAME>.control.json` holds. */
export type ControlFile = {
  readonly version: 1
  /** The control server, `http://127.0.0.1:<port>`. */
  readonly url: string
  readonly pid: number
  readonly processName: string
  readonly startedMs: number
  /** The Prometheus endpoint when served (`METRICS_PORT` > 0). */
  readonly metricsUrl: string | null
}

export function controlPathsOf(dataDir: string, processName: string): ControlPaths {
  return {
    pid: join(dataDir, `${processName}.pid`),
    control: join(dataDir, `${processName}.control.json`),
    token: join(dataDir, `${processName}.token`),
    log: join(dataDir, `${processName}.log`),
  }
}

/** A new random token (32 bytes, base64url): one per start. */
export function newControlToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * Writes the token file (a fresh file with mode 0600: readable by the operator's user only) and the control file.
 * Returns their removal.
 */
export function writeControlFiles(paths: ControlPaths, file: ControlFile, token: string): () => void {
  mkdirSync(dirname(paths.token), { recursive: true })
  // A leftover file keeps its old mode when rewritten: remove it, then create it 0600.
  rmSync(paths.token, { force: true })
  writeFileSync(paths.token, `${token}\n`, { mode: 0o600, flag: 'wx' })
  writeFileSync(paths.control, `${JSON.stringify(file, null, 2)}\n`)
  return () => {
    rmSync(paths.control, { force: true })
    rmSync(paths.token, { force: true })
  }
}

/** The control file, or null when there is none or it is not one. */
export function readControlFile(paths: ControlPaths): ControlFile | null {
  if (!existsSync(paths.control)) return null
  const parsed = JSON.parse(readFileSync(paths.control, 'utf8')) as Partial<ControlFile>
  return typeof parsed.url === 'string' && typeof parsed.pid === 'number' ? (parsed as ControlFile) : null
}

/** The token of the running start (trimmed), or null when the file is missing. */
export function readControlToken(paths: ControlPaths): string | null {
  return existsSync(paths.token) ? readFileSync(paths.token, 'utf8').trim() : null
}
