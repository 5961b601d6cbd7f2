import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { AlreadyRunningError } from '../errors/process.js'

export type PidFile = {
  readonly path: string
  /** The pid of a dead process whose file was replaced, or null. */
  readonly replacedStalePid: number | null
  /** Removes the file if it still holds our pid. Idempotent. */
  release(): void
}

export type AcquirePidFileErrorType = AlreadyRunningError

/**
 * Takes a role's pid file (`<DATA_DIR>/<PROCESS_NAME>.pid`, see `pidFilePath`), created exclusively so two starts cannot
 * both win. A file left by a dead process (stale) is replaced; a live one is refused.
 * @throws AlreadyRunningError when a live process holds the file.
 */
export function acquirePidFile(
  path: string,
  options: { pid?: number | undefined; isAlive?: ((pid: number) => boolean) | undefined } = {},
): PidFile {
  const pid = options.pid ?? process.pid
  const isAlive = options.isAlive ?? defaultIsAlive
  mkdirSync(dirname(path), { recursive: true })
  let replacedStalePid: number | null = null
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${pid}\n`, { flag: 'wx' })
      return {
        path,
        replacedStalePid,
        release() {
          if (readPid(path) === pid) rmSync(path, { force: true })
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = readPid(path)
      if (holder !== null && holder !== pid && isAlive(holder)) throw new AlreadyRunningError({ path, pid: holder })
      replacedStalePid = holder
      rmSync(path, { force: true })
    }
  }
  throw new AlreadyRunningError({ path, pid: readPid(path) ?? -1 })
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    // The file vanished between the exclusive create and this read (the holder released it): no holder.
    return null
  }
}

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
