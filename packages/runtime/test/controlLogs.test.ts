import { appendFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import { formatLogLine } from '../src/cli/runLogs.js'
import { loadConfigFiles } from '../src/config/loadConfig.js'
import { createLogger } from '../src/observability/createLogger.js'
import { DEPLOYMENT_ENV, HEDGER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { waitFor } from './deploymentVenue.js'

// alp logs on a log written by the runtime's own logger (createLogger with the file alp start gives it), without a
// running process: the tail, the level filter, the two formats, a line still being written, and --follow.
const dir = mkdtempSync(join(tmpdir(), 'alp-logs-'))
const file = writeDeploymentIni(dir, { restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' })
const logFile = join(dir, 'data', 'trader.log')

async function alp(args: string[], waitForStop?: () => Promise<string>) {
  let stdout = ''
  let stderr = ''
  const code = await main(['node', 'alp', 'logs', '--config', file, ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: DEPLOYMENT_ENV,
    waitForStop,
  })
  return { code, stdout, stderr }
}

describe('alp logs', () => {
  it('tails, filters by level, prints raw or human lines, leaves a partial line, follows new lines', async () => {
    expect((await alp([])).code).toBe(EXIT.NOT_RUNNING)
    const config = loadConfigFiles([file], { env: DEPLOYMENT_ENV })
    const log = createLogger({
      name: 'trader',
      level: 'debug',
      secrets: config.secrets,
      file: logFile,
      destination: { write: () => {} },
    })
    for (let i = 0; i < 200; i++) log.debug({ i }, 'tick')
    log.info({ role: 'trader', runId: 'r1' }, 'role started')
    log.warn({ venue: 'binance-usdm' }, `kill switch with key ${HEDGER_KEYS.apiKey}`)
    log.error({ err: new Error('venue refused') }, 'role error')
    appendFileSync(logFile, '{"level":50,"msg":"half a li') // being written: not shown yet

    const raw = await alp(['--json', '--lines', '3'])
    expect(raw.code).toBe(EXIT.OK)
    const entries = raw.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(entries.map((e) => e.msg)).toEqual(['role started', 'kill switch with key [redacted]', 'role error'])
    expect(raw.stdout).not.toContain(HEDGER_KEYS.apiKey)

    const all = await alp(['--json', '--lines', '1000'])
    expect(all.stdout.trim().split('\n')).toHaveLength(203)

    const warn = await alp(['--level', 'warn'])
    expect(warn.code).toBe(EXIT.OK)
    const lines = warn.stdout.split('\n')
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN {2}trader: kill switch with key \[redacted\] venue=binance-usdm$/,
    )
    expect(lines[1]).toMatch(/ ERROR trader: role error err="venue refused"$/)
    expect(lines[2]).toMatch(/^ {4}Error: venue refused$/) // the stack, indented
    expect(warn.stdout).not.toContain('tick')

    expect((await alp(['--level', 'loud'])).code).toBe(EXIT.USAGE)

    // --follow: the rest of the partial line and the lines after it are printed, then it ends on the stop signal.
    let followed = ''
    const followCode = await main(['node', 'alp', 'logs', '--config', file, '--json', '--lines', '1', '--follow'], {
      stdout: (text) => (followed += text),
      stderr: (text) => (followed += text),
      env: DEPLOYMENT_ENV,
      waitForStop: async () => {
        appendFileSync(logFile, 'ne"}\n')
        log.error('after the tail')
        await waitFor(() => followed.includes('after the tail'), 'the followed line', 10_000)
        return 'test'
      },
    })
    expect(followCode).toBe(EXIT.OK)
    expect(
      followed
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).msg),
    ).toEqual(['role error', 'half a line', 'after the tail'])
  })

  it('alp --help lists the observing and control commands and every exit code', async () => {
    let out = ''
    const code = await main(['node', 'alp', '--help'], {
      stdout: (text) => (out += text),
      stderr: (text) => (out += text),
    })
    expect(code).toBe(EXIT.OK)
    for (const command of ['status [options]', 'kill [options]', 'resume [options]', 'logs [options]'])
      expect(out).toContain(command)
    for (const [name, value] of Object.entries(EXIT)) expect(out).toMatch(new RegExp(`^  ${value} ${name} `, 'm'))
    let logsHelp = ''
    await main(['node', 'alp', 'logs', '--help'], { stdout: (text) => (logsHelp += text) })
    for (const option of ['--follow', '--lines <n>', '--level <level>', '--json', '--config <files...>'])
      expect(logsHelp).toContain(option)
  })

  it('formatLogLine: a line that is not JSON is shown as it is', () => {
    expect(formatLogLine('Segmentation fault')).toBe('Segmentation fault')
    expect(formatLogLine('{"level":30,"time":0,"name":"x","msg":"m","a":{"b":1},"s":"two words"}')).toBe(
      '1970-01-01T00:00:00.000Z INFO  x: m a={"b":1} s="two words"',
    )
  })
})
