import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type AnvilInstance,
  type RunningBinanceEmulator,
  type RunningDeribitEmulator,
  type RunningGrvtEmulator,
  startAnvil,
  startBinanceEmulator,
  startDeribitEmulator,
  startGrvtEmulator,
} from '@alp/venue-sim'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import { loadConfigFiles } from '../src/config/loadConfig.js'
import { Journal } from '../src/journal/Journal.js'

const dir = mkdtempSync(join(tmpdir(), 'alp-cli-'))
const BINANCE_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
const BINANCE_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
const GRVT_SECRET = `0x${'4d'.repeat(32)}`
const ENV = {
  BN_KEY: BINANCE_KEY,
  BN_SECRET: BINANCE_SECRET,
  DB_ID: 'client_1',
  DB_SECRET: 'secret-1',
  GR_KEY: 'grvtKey001',
  GR_SECRET: GRVT_SECRET,
  LP_KEY: `0x${'11'.repeat(32)}`,
}

async function run(args: string[], env: NodeJS.ProcessEnv = ENV, stdin = '') {
  let stdout = ''
  let stderr = ''
  const code = await main(['node', 'alp', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    readStdin: async () => stdin,
  })
  return { code, stdout, stderr }
}

function write(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('alp config check', () => {
  test('a valid file: exit 0, one line per role; --json lists the roles', async () => {
    const file = write(
      'ok.ini',
      '[trader]\nPROCESS_NAME = trader\n[trader.HEDGER.VENUE.binance-usdm]\nTICK_SIZE = 0.01\nSTEP_SIZE = 0.001\n',
    )
    const plain = await run(['config', 'check', file])
    expect(plain).toMatchObject({ code: EXIT.OK, stderr: '' })
    expect(plain.stdout).toBe(`ok  trader (trader) from ${file}\n`)
    const json = JSON.parse((await run(['config', 'check', '--json', file])).stdout)
    expect(json).toEqual({
      ok: true,
      issues: [],
      roles: [{ instance: 'trader', role: 'trader', processName: 'trader', file }],
    })
  })

  test('every problem printed, exit 3: malformed line, unknown key, literal secret, missing env var', async () => {
    const file = write(
      'bad.ini',
      `[binance.trading-engine]
PROCESS_NAME = te
API_KEY = env:NOT_SET_ANYWHERE
API_SECRET = ${BINANCE_SECRET}
garbage line
[binance.trading-engine.HTTP_API]
HTTP_BASE_URL = https://fapi.binance.com
HTTP_TIMEOUT = 5
[binance.trading-engine.MARKET_DATA]
SYMBOLS = ETHUSDT
`,
    )
    const out = await run(['config', 'check', file])
    expect(out.code).toBe(EXIT.CONFIG_INVALID)
    expect(out.stdout).toBe('')
    expect(out.stderr.split('\n')).toEqual([
      `${file}:5 [binance.trading-engine]: malformed line (expected KEY = value)`,
      `${file}:3 [binance.trading-engine] API_KEY: environment variable NOT_SET_ANYWHERE is not set`,
      `${file}:4 [binance.trading-engine] API_SECRET: holds a literal secret, which a config file may not (the value is not shown): write a reference, env:VAR or keystore:<file>#<name>`,
      `${file}:8 [binance.trading-engine.HTTP_API] HTTP_TIMEOUT: unknown key (did you mean HTTP_TIMEOUT_MS?)`,
      '4 problems',
      '',
    ])
    expect(out.stderr).not.toContain(BINANCE_SECRET)
    const json = JSON.parse((await run(['config', 'check', '--json', file])).stdout)
    expect(json.ok).toBe(false)
    expect(json.issues.map((i: { key: string | null }) => i.key)).toEqual([
      null,
      'API_KEY',
      'API_SECRET',
      'HTTP_TIMEOUT',
    ])
  })

  test('the bin (bin/alp.mjs → dist) exits with the code: 3 for an invalid config, 2 for usage, 0 for help', () => {
    const bin = join(import.meta.dirname, '..', 'bin', 'alp.mjs')
    const file = write('bin.ini', '[trader]\nPROCESS_NAME = t\nBOGUS = 1\n')
    const invalid = spawnSync(process.execPath, [bin, 'config', 'check', file], { encoding: 'utf8' })
    expect(invalid.status).toBe(EXIT.CONFIG_INVALID)
    expect(invalid.stderr).toContain(`${file}:3 [trader] BOGUS: unknown key`)
    expect(spawnSync(process.execPath, [bin, 'config'], { encoding: 'utf8' }).status).toBe(EXIT.USAGE)
    expect(spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' }).status).toBe(EXIT.OK)
    const startHelp = spawnSync(process.execPath, [bin, 'start', '--help'], { encoding: 'utf8' })
    expect(startHelp.status).toBe(EXIT.OK)
    expect(startHelp.stdout).toContain('--skip-reconciliation')
  })

  test('usage errors exit 2', async () => {
    expect((await run(['config', 'check'])).code).toBe(EXIT.USAGE)
    expect((await run(['no-such-command'])).code).toBe(EXIT.USAGE)
    expect((await run(['doctor', '--max-skew-ms', 'x', 'f.ini'])).code).toBe(EXIT.USAGE)
  })
})

describe('alp doctor against the venue emulators and anvil', () => {
  let binance: RunningBinanceEmulator
  let deribit: RunningDeribitEmulator
  let grvt: RunningGrvtEmulator
  let anvil: AnvilInstance
  const SKEW_MS = 5_000
  beforeAll(async () => {
    // The Binance emulator's clock runs 5 s ahead of ours; the others share the wall clock.
    ;[binance, deribit, grvt, anvil] = await Promise.all([
      startBinanceEmulator({
        clock: { nowMs: () => Date.now() + SKEW_MS },
        accounts: [{ apiKey: BINANCE_KEY, apiSecret: BINANCE_SECRET, balances: { USDT: '1000' } }],
      }),
      startDeribitEmulator({
        accounts: [{ clientId: 'client_1', clientSecret: 'secret-1', balances: { USDC: '1000' } }],
      }),
      startGrvtEmulator({
        accounts: [
          { apiKey: 'grvtKey001', signerPrivateKeys: [GRVT_SECRET], subAccountId: '1', balances: { USDT: '1000' } },
        ],
      }),
      startAnvil(),
    ])
  })
  afterAll(async () => {
    await Promise.all([binance?.close(), deribit?.close(), grvt?.close(), anvil?.stop()])
  })

  function deployment(chainId: number, grvtSecret = 'env:GR_SECRET') {
    const data = join(dir, `data-${chainId}`)
    mkdirSync(data, { recursive: true })
    return write(
      `deploy-${chainId}.ini`,
      `[binance.trading-engine]
PROCESS_NAME = bn
API_KEY = env:BN_KEY
API_SECRET = env:BN_SECRET
DATA_DIR = ${data}
[binance.trading-engine.HTTP_API]
HTTP_BASE_URL = ${binance.restUrl}
[binance.trading-engine.MARKET_DATA]
SYMBOLS = ETHUSDT
[deribit.trading-engine]
PROCESS_NAME = db
API_KEY = env:DB_ID
API_SECRET = env:DB_SECRET
DATA_DIR = ${data}
[deribit.trading-engine.HTTP_API]
HTTP_BASE_URL = ${deribit.restUrl}
[deribit.trading-engine.MARKET_DATA]
SYMBOLS = BTC_USDC-PERPETUAL
[grvt.trading-engine]
PROCESS_NAME = gr
API_KEY = env:GR_KEY
API_SECRET = ${grvtSecret}
DATA_DIR = ${data}
[grvt.trading-engine.HTTP_API]
HTTP_BASE_URL = ${grvt.restUrl}
[grvt.trading-engine.MARKET_DATA]
SYMBOLS = BTC_USDT_Perp
[lp-manager]
PROCESS_NAME = lp
DATA_DIR = ${data}
[lp-manager.LP]
RPC_URL = ${anvil.rpcUrl}
CHAIN_ID = ${chainId}
POOL_ADDRESS = 0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640
POSITION_MANAGER_ADDRESS = 0xC36442b4a4522E871399CD717aBDD847Ab11FE88
WALLET_KEY = env:LP_KEY
`,
    )
  }

  test('--json: keys, skew per venue (Binance 5 s ahead fails), reachability, chain id, block age, disk, stale pid', async () => {
    const file = deployment(31337)
    // A pid file left by a process that is gone: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.pid'], { encoding: 'utf8' }).pid as number
    writeFileSync(join(dir, 'data-31337', 'gr.pid'), `${dead}\n`)
    writeFileSync(join(dir, 'data-31337', 'db.pid'), `${process.pid}\n`)
    const out = await run(['doctor', '--json', file])
    expect(out.code).toBe(EXIT.CHECKS_FAILED)
    const report = JSON.parse(out.stdout) as {
      ok: boolean
      checks: { check: string; subject: string; status: string; detail: string; data?: Record<string, number> }[]
    }
    expect(report.ok).toBe(false)
    const find = (check: string, subject: string) =>
      report.checks.find((c) => c.check === check && c.subject.startsWith(subject))
    expect(report.checks.filter((c) => c.check === 'keys').map((c) => [c.subject, c.status])).toEqual([
      ['binance.trading-engine', 'ok'],
      ['binance.trading-engine', 'ok'],
      ['deribit.trading-engine', 'ok'],
      ['deribit.trading-engine', 'ok'],
      ['grvt.trading-engine', 'ok'],
      ['grvt.trading-engine', 'ok'],
      ['lp-manager', 'ok'],
    ])
    const bnSkew = find('clock-skew', 'binance')
    expect(bnSkew?.status).toBe('fail')
    expect(Math.abs((bnSkew?.data?.skewMs ?? 0) - SKEW_MS)).toBeLessThan(500)
    expect(find('clock-skew', 'deribit')?.status).toBe('ok')
    expect(Math.abs(find('clock-skew', 'deribit')?.data?.skewMs ?? 1e9)).toBeLessThan(500)
    expect(find('clock-skew', 'grvt')?.status).toBe('ok')
    expect(find('reachability', 'binance')?.status).toBe('ok')
    expect(find('rpc-chain-id', 'lp-manager')).toMatchObject({ status: 'ok', data: { chainId: 31337 } })
    expect(find('rpc-block-age', 'lp-manager')?.status).toBe('ok')
    expect(find('disk', join(dir, 'data-31337'))?.status).toBe('ok')
    expect(find('pid-file', 'grvt')).toMatchObject({ status: 'fail', data: { pid: dead } })
    expect(find('pid-file', 'deribit')).toMatchObject({ status: 'ok', data: { pid: process.pid } })
    expect(find('pid-file', 'binance')?.status).toBe('ok')
    for (const secret of [BINANCE_KEY, BINANCE_SECRET, GRVT_SECRET]) expect(out.stdout).not.toContain(secret)
  })

  test('wrong chain id, a malformed key, a venue that is down, a disk limit above what is free', async () => {
    const file = deployment(1, 'env:DB_SECRET')
    const down = write(
      'down.ini',
      `[binance.quote-server]\nPROCESS_NAME = q\n[binance.quote-server.HTTP_API]\nHTTP_BASE_URL = http://127.0.0.1:9\n[binance.quote-server.WEBSOCKET]\nWS_PUBLIC_URL = ws://127.0.0.1:9\n[binance.quote-server.MARKET_DATA]\nSYMBOLS = ETHUSDT\n`,
    )
    const out = await run([
      'doctor',
      '--json',
      '--max-skew-ms',
      '60000',
      '--min-free-mb',
      String(2 ** 40 / 2 ** 20),
      file,
      down,
    ])
    const report = JSON.parse(out.stdout) as {
      checks: { check: string; subject: string; status: string; detail: string }[]
    }
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => `${c.check} ${c.subject.split(' ')[0]}`)
    expect(failed).toEqual([
      'keys grvt.trading-engine',
      'reachability binance',
      'rpc-chain-id lp-manager',
      `disk ${join(dir, 'data-1')}`,
      `disk ${join(dir, 'data')}`,
    ])
    expect(report.checks.find((c) => c.check === 'rpc-chain-id')?.detail).toBe(
      'chain id 31337, config says CHAIN_ID = 1',
    )
    expect(report.checks.find((c) => c.check === 'keys' && c.status === 'fail')?.detail).toBe(
      'API_SECRET (env:DB_SECRET): not a GRVT trading key (0x + 64 hex digits)',
    )
    expect(failed.filter((f) => f.startsWith('clock-skew'))).toEqual([])
    expect(out.code).toBe(EXIT.CHECKS_FAILED)
  })

  test('an invalid config exits 3 before any check', async () => {
    expect((await run(['doctor', write('x.ini', '[trader]\nPROCESS_NAME = t\nBOGUS = 1\n')])).code).toBe(
      EXIT.CONFIG_INVALID,
    )
  })
})

describe('alp keystore', () => {
  test('set reads the secret from stdin, list shows names only; the file resolves keystore: references', async () => {
    const file = join(dir, 'secrets.json')
    const env = { ALP_KEYSTORE_PASSWORD: 'pw-cli' }
    const first = await run(['keystore', 'set', file, 'binance-key'], env, `${BINANCE_KEY}\n`)
    expect(first).toMatchObject({
      code: EXIT.OK,
      stdout: `created ${file}: entry binance-key (reference keystore:${file}#binance-key)\n`,
    })
    expect((await run(['keystore', 'set', file, 'binance-secret'], env, BINANCE_SECRET)).code).toBe(EXIT.OK)
    const listed = await run(['keystore', 'list', '--json', file], {})
    expect(JSON.parse(listed.stdout)).toEqual({ file, entries: ['binance-key', 'binance-secret'] })
    const text = readFileSync(file, 'utf8')
    for (const secret of [BINANCE_KEY, BINANCE_SECRET, 'pw-cli']) expect(text).not.toContain(secret)
    // A second password may not be mixed into the file.
    const wrong = await run(['keystore', 'set', file, 'other'], { ALP_KEYSTORE_PASSWORD: 'pw-other' }, 'x')
    expect(wrong.code).toBe(EXIT.CONFIG_INVALID)
    expect(wrong.stderr).toContain('does not decrypt (wrong password or tampered file)')
    expect((await run(['keystore', 'set', file, 'other'], {}, 'x')).code).toBe(EXIT.USAGE)
    const ini = write(
      'ks.ini',
      `[binance.trading-engine]\nPROCESS_NAME = te\nAPI_KEY = keystore:secrets.json#binance-key\nAPI_SECRET = keystore:secrets.json#binance-secret\n[binance.trading-engine.HTTP_API]\nHTTP_BASE_URL = https://fapi.binance.com\n[binance.trading-engine.MARKET_DATA]\nSYMBOLS = ETHUSDT\n`,
    )
    const [engine] = loadConfigFiles([ini], { env }).roles
    expect(engine?.apiKey?.reveal()).toBe(BINANCE_KEY)
    expect(engine?.apiSecret?.reveal()).toBe(BINANCE_SECRET)
  })
})

describe('alp history', () => {
  test('reads the journal: fills, rebalances, PnL vs hold, fees, return %; missing journal exits 5', async () => {
    const path = join(dir, 'history', 'journal.sqlite')
    const journal = new Journal(path)
    const runId = journal.startRun({ processName: 'trader', startedMs: 1_000 })
    journal.appendStep(
      runId,
      {
        type: 'fill',
        tsNs: 5n,
        venue: 'binance',
        clientOrderId: 'alp0x1',
        tradeId: 'T1',
        side: 'sell',
        priceTicks: 300_000,
        sizeLots: 100,
        feeQuote: '0.06',
      },
      [],
    )
    journal.appendLpAction(runId, { tsNs: 6n, action: 'rebalance', tokenId: '12' })
    journal.appendPnlSnapshot(runId, {
      tsNs: 1n,
      valueUsd: '10000',
      holdValueUsd: '10000',
      lpFeesUsd: '0',
      hedgePnlUsd: '0',
      feesPaidUsd: '0',
      netExposureBase: '0',
    })
    journal.appendPnlSnapshot(runId, {
      tsNs: 9n,
      valueUsd: '9950',
      holdValueUsd: '9900',
      lpFeesUsd: '12',
      hedgePnlUsd: '3',
      feesPaidUsd: '1.5',
      netExposureBase: '0.1',
    })
    journal.close()
    const json = JSON.parse((await run(['history', '--json', '--journal', path])).stdout)
    expect(json.summary).toMatchObject({
      fills: 1,
      rebalances: 1,
      pnlUsd: '-50',
      pnlVsHoldUsd: '50',
      feesPaidUsd: '1.5',
      returnPct: '-0.5',
    })
    expect(json.fills[0]).toMatchObject({ tradeId: 'T1', tsNs: '5', feeQuote: '0.06' })
    expect(json.rebalances[0]).toMatchObject({ tokenId: '12', tsNs: '6' })
    const plain = await run(['history', '--journal', path])
    expect(plain.stdout.split('\n')[1]).toBe('value 10000 → 9950 USD, PnL -50 USD, vs hold 50 USD, return -0.5 %')
    expect((await run(['history', '--journal', join(dir, 'nope.sqlite')])).code).toBe(EXIT.NOT_RUNNING)
  })
})
