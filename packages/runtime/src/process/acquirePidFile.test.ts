import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { AlreadyRunningError } from '../errors/process.js'
import { acquirePidFile } from './acquirePidFile.js'

const dir = mkdtempSync(join(tmpdir(), 'alp-pid-'))

describe('acquirePidFile', () => {
  test('creates the file, refuses a live holder, replaces a stale one, releases only its own', () => {
    const path = join(dir, 'data', 'trader.pid')
    const held = acquirePidFile(path)
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`)
    expect(held.replacedStalePid).toBeNull()
    // Another process (pid 1 is alive: init) cannot take it.
    writeFileSync(path, '1\n')
    const error = (() => {
      try {
        acquirePidFile(path, { pid: 424242 })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(AlreadyRunningError)
    expect((error as AlreadyRunningError).pid).toBe(1)
    expect((error as AlreadyRunningError).code).toBe('ALREADY_RUNNING')
    held.release() // the file holds pid 1 now: not ours, kept
    expect(readFileSync(path, 'utf8')).toBe('1\n')
    // A pid file left by a process that has exited is stale: replaced.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number
    writeFileSync(path, `${dead}\n`)
    const again = acquirePidFile(path)
    expect(again.replacedStalePid).toBe(dead)
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`)
    again.release()
    expect(existsSync(path)).toBe(false)
  })
})
