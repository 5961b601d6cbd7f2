import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import {
  controlPathsOf,
  newControlToken,
  readControlFile,
  readControlToken,
  writeControlFiles,
} from '../src/control/controlFiles.js'
import { createRecentErrors } from '../src/control/createRecentErrors.js'
import {
  type ControlHandlers,
  type ControlRequest,
  type RunningControlServer,
  startControlServer,
} from '../src/control/startControlServer.js'

// The control server alone (node:http on 127.0.0.1), with handlers that record what reached them: the token rule,
// the routes and the files the CLI finds it by. The whole path through alp start is in control.test.ts.
let server: RunningControlServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

function recordingHandlers() {
  const calls: { action: string; request: ControlRequest }[] = []
  const handlers: ControlHandlers = {
    status: () => ({ version: 1, big: 12345678901234567890n }),
    kill: async (request) => {
      calls.push({ action: 'kill', request })
      return { ok: true, killed: 'operatorKill' }
    },
    resume: async (request) => {
      calls.push({ action: 'resume', request })
      return { ok: false, refused: 'operator resume refused: positionLimit still breached' }
    },
    stop: async (request) => {
      calls.push({ action: 'stop', request })
      return { ok: true, stopping: true }
    },
  }
  return { calls, handlers }
}

describe('startControlServer', () => {
  it('every control action needs the bearer token (401 otherwise, handler not called); GET /status does not', async () => {
    const token = newControlToken()
    const { calls, handlers } = recordingHandlers()
    server = await startControlServer({ token, handlers, port: 0 })
    expect(server.host).toBe('127.0.0.1')
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    for (const action of ['kill', 'resume', 'stop'])
      for (const authorization of [
        undefined,
        '',
        token, // without the scheme
        `Basic ${token}`,
        `Bearer ${token.slice(0, -1)}`,
        `Bearer ${token}x`,
        `Bearer ${newControlToken()}`,
      ]) {
        const res = await fetch(`${server.url}/${action}`, {
          method: 'POST',
          headers: authorization === undefined ? {} : { authorization },
          body: '{}',
        })
        expect({ action, authorization, status: res.status }).toEqual({ action, authorization, status: 401 })
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="alp"')
      }
    expect(calls).toEqual([])
    const status = await fetch(`${server.url}/status`)
    expect(status.status).toBe(200)
    expect(await status.json()).toEqual({ version: 1, big: '12345678901234567890' })
  })

  it('with the token: the handler gets the reason and timeout; a refusal is 409; bad JSON 400; other paths 404/405', async () => {
    const token = newControlToken()
    const { calls, handlers } = recordingHandlers()
    server = await startControlServer({ token, handlers })
    const post = (path: string, body: string) =>
      fetch(`${server?.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body })
    const kill = await post('/kill', JSON.stringify({ reason: 'maintenance', timeoutMs: 5000 }))
    expect(kill.status).toBe(200)
    expect(await kill.json()).toEqual({ ok: true, killed: 'operatorKill' })
    const resume = await post('/resume', '')
    expect(resume.status).toBe(409)
    expect(await resume.json()).toMatchObject({ ok: false, refused: expect.stringContaining('positionLimit') })
    expect((await post('/stop', '{}')).status).toBe(200)
    expect(calls).toEqual([
      { action: 'kill', request: { reason: 'maintenance', timeoutMs: 5000 } },
      { action: 'resume', request: { reason: undefined, timeoutMs: undefined } },
      { action: 'stop', request: { reason: undefined, timeoutMs: undefined } },
    ])
    expect((await post('/kill', 'not json')).status).toBe(400)
    expect((await post('/kill', '[1]')).status).toBe(400)
    expect((await post('/other', '{}')).status).toBe(404)
    expect((await fetch(`${server.url}/kill`)).status).toBe(405)
    expect((await fetch(`${server.url}/status`, { method: 'POST' })).status).toBe(405)
    expect(calls).toHaveLength(3)
  })

  it('the token is not in the server object (nor its inspection) and a short token is refused', async () => {
    const token = newControlToken()
    server = await startControlServer({ token, handlers: recordingHandlers().handlers })
    expect(inspect(server, { depth: 5, showHidden: true })).not.toContain(token)
    expect(JSON.stringify(server)).not.toContain(token)
    await expect(startControlServer({ token: 'short', handlers: recordingHandlers().handlers })).rejects.toThrow(
      'control token too short',
    )
  })
})

describe('control files', () => {
  it('the token file is created 0600 even over an older readable one; the control file has the URL, not the token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alp-control-files-'))
    const paths = controlPathsOf(join(dir, 'data'), 'trader')
    expect(paths).toEqual({
      pid: join(dir, 'data', 'trader.pid'),
      control: join(dir, 'data', 'trader.control.json'),
      token: join(dir, 'data', 'trader.token'),
      log: join(dir, 'data', 'trader.log'),
    })
    const first = newControlToken()
    writeControlFiles(
      paths,
      { version: 1, url: 'http://127.0.0.1:1', pid: 1, processName: 'trader', startedMs: 1, metricsUrl: null },
      first,
    )
    chmodSync(paths.token, 0o644) // as a careless copy would leave it
    const token = newControlToken()
    expect(token).not.toBe(first)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const remove = writeControlFiles(
      paths,
      { version: 1, url: 'http://127.0.0.1:2', pid: 2, processName: 'trader', startedMs: 2, metricsUrl: null },
      token,
    )
    expect(statSync(paths.token).mode & 0o777).toBe(0o600)
    expect(readControlToken(paths)).toBe(token)
    expect(readControlFile(paths)).toMatchObject({ url: 'http://127.0.0.1:2', pid: 2 })
    expect(readFileSync(paths.control, 'utf8')).not.toContain(token)
    remove()
    expect(readControlFile(paths)).toBeNull()
    expect(readControlToken(paths)).toBeNull()
    writeFileSync(paths.control, '{"other":true}')
    expect(readControlFile(paths)).toBeNull()
  })
})

describe('createRecentErrors', () => {
  it('keeps the last n failures with role, venue and the first line (code first), counts all', () => {
    let now = 1000
    const errors = createRecentErrors({ capacity: 2, nowMs: () => now++ })
    errors.push(new Error('first\nstack line'), { role: 'trader' })
    errors.push(Object.assign(new Error('refused by venue'), { code: 'VENUE_REJECTED' }), {
      role: 'trading-engine',
      venue: 'binance-usdm',
    })
    errors.push('a string', { role: 'lp-manager' })
    expect(errors.total).toBe(3)
    expect(errors.list()).toEqual([
      { atMs: 1001, role: 'trading-engine', venue: 'binance-usdm', message: 'VENUE_REJECTED: refused by venue' },
      { atMs: 1002, role: 'lp-manager', venue: null, message: 'a string' },
    ])
  })
})
