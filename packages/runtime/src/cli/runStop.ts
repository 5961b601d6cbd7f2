import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkConfigFiles, type RoleConfig } from '../config/loadConfig.js'
import { formatConfigIssue } from '../errors/config.js'
import type { CliIo } from './createProgram.js'
import { EXIT, type ExitCode } from './exitCodes.js'

export type RunStopOptions = {
  readonly files: readonly string[]
  /** The same `--roles` as the `alp start` to stop (its pid file is the trader's, or the first role's). */
  readonly roles?: readonly string[] | undefined
  /** How long to wait for the process to finish its stop (cancels confirmed by the venues), ms. Default 60 000. */
  readonly timeoutMs?: number | undefined
}

/**
 * The role whose pid file and logs an `alp start` of these roles uses: the trader when it runs, else the first role.
 * Undefined when no role is selected.
 */
export function mainRoleOf(roles: readonly RoleConfig[], names: readonly string[] | undefined): RoleConfig | undefined {
  const selected = roles.filter(
    (role) => names === undefined || names.includes(role.instance) || names.includes(role.role),
  )
  return selected.find((role) => role.role === 'trader') ?? selected[0]
}

/**
 * `alp stop`: sends SIGTERM to the `alp start` process of the config (its pid file) and waits until it has exited —
 * which it does only after cancelling every order and getting the venues' confirmation, or after its own stop
 * timeout (its exit code and log say which). Exit 5 when nothing runs (no pid file, or a stale one).
 */
export async function runStop(io: CliIo, options: RunStopOptions): Promise<ExitCode> {
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
  const path = join(main.dataDir, `${main.processName}.pid`)
  const pid = existsSync(path) ? Number.parseInt(readFileSync(path, 'utf8').trim(), 10) : Number.NaN
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    io.stderr(`not running: ${existsSync(path) ? `${path} is stale (pid ${pid} is gone)` : `no ${path}`}\n`)
    return EXIT.NOT_RUNNING
  }
  process.kill(pid, 'SIGTERM')
  io.stdout(`SIGTERM sent to pid ${pid}; waiting for it to cancel every order and exit\n`)
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      io.stderr(`pid ${pid} still running after ${options.timeoutMs ?? 60_000} ms\n`)
      return EXIT.FAILURE
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  io.stdout(`stopped (pid ${pid})\n`)
  return EXIT.OK
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
