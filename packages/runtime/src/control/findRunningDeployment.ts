import { existsSync, readFileSync } from 'node:fs'
import type { RoleConfig } from '../config/loadConfig.js'
import { type ControlFile, type ControlPaths, controlPathsOf, readControlFile } from './controlFiles.js'

export type RunningDeployment = {
  readonly pid: number
  readonly paths: ControlPaths
  readonly control: ControlFile
}

/**
 * The `alp start` of this main role, as the CLI finds it: the pid file names a live process and the control file is
 * there. Otherwise the reason it is not running (printed by `alp status|kill|resume`, which then exit 5).
 */
export function findRunningDeployment(
  main: Pick<RoleConfig, 'dataDir' | 'processName'>,
): RunningDeployment | { readonly notRunning: string } {
  const paths = controlPathsOf(main.dataDir, main.processName)
  if (!existsSync(paths.pid)) return { notRunning: `no ${paths.pid}` }
  const pid = Number.parseInt(readFileSync(paths.pid, 'utf8').trim(), 10)
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid))
    return { notRunning: `${paths.pid} is stale (pid ${pid} is gone)` }
  const control = readControlFile(paths)
  if (control === null || control.pid !== pid)
    return { notRunning: `pid ${pid} runs but serves no control yet (no ${paths.control}): starting, or stopping` }
  return { pid, paths, control }
}

/** Whether a process with this pid exists (EPERM: it does, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
