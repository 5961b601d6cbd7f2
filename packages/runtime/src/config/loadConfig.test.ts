import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { createHedger } from '@alp/hedger'
import { describe, expect, test } from 'vitest'
import { ConfigInvalidError, formatConfigIssue } from '../errors/config.js'
import { checkConfigFiles, loadConfigFiles } from './loadConfig.js'
import { encryptSecretsKeystore } from './secretsKeystore.js'

const dir = mkdtempSync(join(tmpdir(), 'alp-config-'))
let n = 0
function write(text: string, name = `c${n++}.ini`): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const API_KEY_VALUE = 'k3yVALUEq9w8e7r6'
const API_SECRET_VALUE = 's3cretVALUEz1x2c3v4b5'
const WALLET_VALUE = `0x${'ab'.repeat(32)}`
const ENV = { BINANCE_API_KEY: API_KEY_VALUE, BINANCE_API_SECRET: API_SECRET_VALUE, LP_WALLET_KEY: WALLET_VALUE }

/** One file, a section per role (the combined form). */
const COMBINED = `; the whole deployment in one file
[trader]
PROCESS_NAME = trader
LOG_LEVEL = INFO

[trader.HEDGER.RISK]
MAX_BASIS_BPS = 80
RESUME_BASIS_BPS = 40

[trader.HEDGER.MODEL]
TYPE = AS
GAMMA_PER_PRICE = 0.05

[trader.HEDGER.CALIBRATION.INTENSITY]
MODE = fixed
A_PER_SEC = 1.5
K_PER_PRICE = 0.3

[trader.HEDGER.VENUE.binance-usdm]
TICK_SIZE = 0.01
STEP_SIZE = 0.001
MAX_POSITION_BASE = 5

[trader.HEDGER.VENUE.deribit]
TICK_SIZE = 0.05
STEP_SIZE = 1

[trader.HEDGER.VENUE.deribit.CONTRACT]
TYPE = inverse
CONTRACT_SIZE_QUOTE = 1

[lp-manager]
PROCESS_NAME = lp
[lp-manager.LP]
RPC_URL = http://127.0.0.1:8545
CHAIN_ID = 31337
POOL_ADDRESS = 0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640
POSITION_MANAGER_ADDRESS = 0xC36442b4a4522E871399CD717aBDD847Ab11FE88
WALLET_KEY = env:LP_WALLET_KEY
FEE_TIER = 0.0005

[binance.trading-engine]
PROCESS_NAME = binance_trading_engine
ASSET_TYPE = FUTURES
API_KEY = env:BINANCE_API_KEY
API_SECRET = env:BINANCE_API_SECRET
[binance.trading-engine.HTTP_API]
HTTP_BASE_URL = https://fapi.binance.com
HTTP_TIMEOUT_MS = 3000
[binance.trading-engine.WEBSOCKET]
WS_PRIVATE_URL = wss://fstream.binance.com/ws
ENABLE_PRIVATE_WEBSOCKET = true
PRIVATE_CHANNELS = orders, positions
[binance.trading-engine.MARKET_DATA]
SYMBOLS = ETHUSDT
[binance.trading-engine.PUBLISHERS]
ORDER_EVENTS = tcp://127.0.0.1:6002
`

function issuesOf(files: string[], env: NodeJS.ProcessEnv = ENV) {
  const { config, issues } = checkConfigFiles(files, { env })
  expect(config).toBeNull()
  return issues
}

describe('loadConfigFiles: a valid deployment', () => {
  test('one file with a section per role: roles, original keys, defaults, hedger config and secrets resolved', () => {
    const file = write(COMBINED)
    const config = loadConfigFiles([file], { env: ENV })
    expect(config.roles.map((r) => r.instance)).toEqual(['trader', 'lp-manager', 'binance.trading-engine'])
    const engine = config.roles.find((r) => r.role === 'trading-engine')
    expect(engine?.exchange).toBe('binance')
    expect(engine?.processName).toBe('binance_trading_engine')
    expect(engine?.http).toEqual({ baseUrl: 'https://fapi.binance.com', timeoutMs: 3000 })
    expect(engine?.websocket).toEqual({
      publicUrl: null,
      privateUrl: 'wss://fstream.binance.com/ws',
      enablePrivate: true,
      privateChannels: ['orders', 'positions'],
    })
    expect(engine?.marketData).toEqual({ symbols: ['ETHUSDT'], collectTicker: true, collectOrderbook: true })
    expect(engine?.publishers).toEqual({ orderEvents: 'tcp://127.0.0.1:6002' })
    expect(engine?.apiKey?.reveal()).toBe(API_KEY_VALUE)
    expect(engine?.apiSecret?.reveal()).toBe(API_SECRET_VALUE)
    expect(engine?.logLevel).toBe('info')
    expect(engine?.dataDir).toBe(join(dir, 'data'))
    const lp = config.roles.find((r) => r.role === 'lp-manager')?.lp
    expect(lp).toMatchObject({
      chainId: 31337,
      feeTier: 0.0005,
      feePips: 500,
      baseSpread: 0.02,
      rebalanceThreshold: 0.1,
      modelType: 'GLFT',
    })
    const trader = config.roles.find((r) => r.role === 'trader')
    expect(trader?.logLevel).toBe('info')
    // The hedger config is @alp/hedger's own input: createHedger accepts it.
    const state = createHedger(trader?.hedger as never)
    expect(state.config.risk.maxBasisBps).toBe(80)
    expect(state.config.model.type).toBe('AS')
    expect(state.config.calibration.intensity).toEqual({ mode: 'fixed', aPerSec: 1.5, kPerPrice: 0.3 })
    expect(state.config.venues.map((venue) => [venue.venue, venue.tickSize, venue.maxPositionBase])).toEqual([
      ['binance-usdm', '0.01', 5],
      ['deribit', '0.05', 10],
    ])
    expect(state.config.venues[1]?.contract).toEqual({ type: 'inverse', contractSizeQuote: '1' })
  })

  test('resolved secrets never show in util.inspect, JSON or String()', async () => {
    const config = loadConfigFiles([write(COMBINED)], { env: ENV })
    const wallet = config.roles.find((r) => r.role === 'lp-manager')?.lp?.wallet
    for (const text of [
      inspect(config, { depth: 20, showHidden: true }),
      JSON.stringify(config),
      String(config.roles[2]?.apiSecret),
    ]) {
      expect(text).not.toContain(API_KEY_VALUE)
      expect(text).not.toContain(API_SECRET_VALUE)
      expect(text).not.toContain(WALLET_VALUE.slice(2))
    }
    expect(inspect(config.roles[2]?.apiSecret)).toBe('Secret(env:BINANCE_API_SECRET)')
    // The wallet reference still gives the signer: address of the 0xabab… key, computed by ethers itself.
    const { Wallet } = await import('ethers')
    expect((await wallet?.loadSigner())?.address).toBe(new Wallet(WALLET_VALUE).address)
  })

  test('one file per role ([GLOBAL] with ROLE), the original layout', () => {
    const file = write(`[GLOBAL]
PROCESS_NAME = deribit_quote_server
ROLE = quote-server
EXCHANGE_NAME = deribit
ASSET_TYPE = INVERSE
[HTTP_API]
HTTP_BASE_URL = https://www.deribit.com
[WEBSOCKET]
WS_PUBLIC_URL = wss://www.deribit.com/ws/api/v2
[MARKET_DATA]
SYMBOLS = ETH-PERPETUAL
COLLECT_TICKER = false
[PUBLISHERS]
MARKET_DATA = tcp://0.0.0.0:6101
`)
    const [role] = loadConfigFiles([file], { env: {} }).roles
    expect(role?.instance).toBe('deribit.quote-server')
    expect(role?.role).toBe('quote-server')
    expect(role?.marketData).toEqual({ symbols: ['ETH-PERPETUAL'], collectTicker: false, collectOrderbook: true })
    expect(role?.publishers).toEqual({ marketData: 'tcp://0.0.0.0:6101' })
    expect(role?.apiKey).toBeNull()
  })

  test('keystore: references decrypt from an alp-secrets file (scrypt + AES-256-GCM)', () => {
    writeFileSync(
      join(dir, 'secrets.json'),
      encryptSecretsKeystore({ 'binance-key': API_KEY_VALUE, 'binance-secret': API_SECRET_VALUE }, 'pw-1'),
    )
    const text = COMBINED.replace('env:BINANCE_API_KEY', 'keystore:secrets.json#binance-key').replace(
      'env:BINANCE_API_SECRET',
      'keystore:secrets.json#binance-secret',
    )
    const config = loadConfigFiles([write(text)], {
      env: { LP_WALLET_KEY: WALLET_VALUE, ALP_KEYSTORE_PASSWORD: 'pw-1' },
    })
    const engine = config.roles.find((r) => r.role === 'trading-engine')
    expect(engine?.apiKey?.reveal()).toBe(API_KEY_VALUE)
    expect(engine?.apiSecret?.reveal()).toBe(API_SECRET_VALUE)
    expect(engine?.apiSecret?.reference).toBe('keystore:secrets.json#binance-secret')
    const wrong = issuesOf([write(text)], { LP_WALLET_KEY: WALLET_VALUE, ALP_KEYSTORE_PASSWORD: 'pw-2' })
    expect(wrong.map((i) => [i.section, i.key])).toEqual([
      ['binance.trading-engine', 'API_KEY'],
      ['binance.trading-engine', 'API_SECRET'],
    ])
    expect(wrong[0]?.message).toContain('does not decrypt')
  })
})

describe('the LP wallet from an ethers JSON keystore', () => {
  test('WALLET_KEY = keystore:<file> decrypts on loadSigner; #name, a missing password or a non-keystore file are errors', async () => {
    const { Wallet, encryptKeystoreJsonSync } = await import('ethers')
    const wallet = new Wallet(WALLET_VALUE)
    writeFileSync(
      join(dir, 'wallet.json'),
      encryptKeystoreJsonSync({ address: wallet.address, privateKey: WALLET_VALUE }, 'pw-w', { scrypt: { N: 1024 } }),
    )
    const text = COMBINED.replace('env:LP_WALLET_KEY', 'keystore:wallet.json')
    const config = loadConfigFiles([write(text)], { env: { ...ENV, ALP_KEYSTORE_PASSWORD: 'pw-w' } })
    const ref = config.roles.find((r) => r.role === 'lp-manager')?.lp?.wallet
    expect(ref?.reference).toBe('keystore:wallet.json')
    expect(inspect(ref)).toBe('WalletKeyRef(keystore:wallet.json)')
    expect((await ref?.loadSigner())?.address).toBe(wallet.address)
    expect(issuesOf([write(text)], ENV).map((i) => [i.key, i.message])).toEqual([
      ['WALLET_KEY', 'environment variable ALP_KEYSTORE_PASSWORD is not set (the password of keystore wallet.json)'],
    ])
    expect(
      issuesOf([write(text.replace('keystore:wallet.json', 'keystore:wallet.json#lp'))], {
        ...ENV,
        ALP_KEYSTORE_PASSWORD: 'pw-w',
      })[0]?.message,
    ).toBe('a wallet keystore holds one key: write keystore:wallet.json without #lp')
    writeFileSync(join(dir, 'not-a-keystore.json'), '{"a":1}')
    expect(
      issuesOf([write(text.replace('keystore:wallet.json', 'keystore:not-a-keystore.json'))], {
        ...ENV,
        ALP_KEYSTORE_PASSWORD: 'pw-w',
      })[0]?.message,
    ).toBe('keystore file not-a-keystore.json is not an ethers JSON keystore (no crypto field)')
  })
})

describe('checkConfigFiles: every problem at once, naming file, section, key and line', () => {
  test('malformed INI: a line without "=", a broken header, a key outside any section, a repeated key', () => {
    const file = write(`ORPHAN = 1
[trader]
PROCESS_NAME = trader
this line has no equals sign
[trader.HEDGER.RISK
[lp-manager]
PROCESS_NAME = lp
PROCESS_NAME = lp2
`)
    const issues = issuesOf([file])
    const malformed = issues.filter((i) => i.line !== null && i.line <= 8)
    expect(malformed.map((i) => [i.line, i.section, i.key])).toEqual([
      [1, null, 'ORPHAN'],
      [4, 'trader', null],
      [5, null, null],
      [8, 'lp-manager', 'PROCESS_NAME'],
    ])
    expect(malformed.map((i) => i.file)).toEqual([file, file, file, file])
    expect(malformed[1]?.message).toBe('malformed line (expected KEY = value)')
    expect(malformed[2]?.message).toContain('malformed section header')
    expect(malformed[3]?.message).toBe('key repeated (first at line 7)')
    // The same run also reports the lp-manager's missing [LP] keys: everything in one go.
    expect(issues.filter((i) => i.section === 'lp-manager.LP').map((i) => i.key)).toEqual([
      'RPC_URL',
      'CHAIN_ID',
      'POOL_ADDRESS',
      'POSITION_MANAGER_ADDRESS',
      'WALLET_KEY',
    ])
  })

  test('unknown keys and sections are errors with a did-you-mean, in original and hedger sections alike', () => {
    const text = COMBINED.replace('HTTP_TIMEOUT_MS = 3000', 'HTTP_TIMEOUT = 3000')
      .replace('MAX_BASIS_BPS = 80', 'MAX_BASIS_BP = 80')
      .replace('[lp-manager.LP]', '[lp-manager.LPP]')
    const file = write(text)
    const issues = issuesOf([file])
    const lines = text.split('\n')
    const lineOf = (needle: string) => lines.findIndex((l) => l.startsWith(needle)) + 1
    expect(issues.map((i) => [i.section, i.key, i.line, i.message])).toEqual(
      expect.arrayContaining([
        ['trader.HEDGER.RISK', 'MAX_BASIS_BP', lineOf('MAX_BASIS_BP'), 'unknown key (did you mean MAX_BASIS_BPS?)'],
        [
          'binance.trading-engine.HTTP_API',
          'HTTP_TIMEOUT',
          lineOf('HTTP_TIMEOUT'),
          'unknown key (did you mean HTTP_TIMEOUT_MS?)',
        ],
      ]),
    )
    const section = issues.find((i) => i.section === 'lp-manager.LPP')
    expect(section?.line).toBe(lineOf('[lp-manager.LPP]'))
    expect(section?.message).toContain('did you mean [LP]?')
  })

  test('a secret written in the file is refused, and its value appears nowhere', () => {
    const file = write(
      COMBINED.replace('env:BINANCE_API_SECRET', API_SECRET_VALUE).replace('env:LP_WALLET_KEY', WALLET_VALUE),
    )
    const issues = issuesOf([file])
    expect(issues.map((i) => [i.file, i.section, i.key])).toEqual([
      [file, 'lp-manager.LP', 'WALLET_KEY'],
      [file, 'binance.trading-engine', 'API_SECRET'],
    ])
    expect(issues[1]?.message).toContain('literal secret')
    const error = (() => {
      try {
        loadConfigFiles([file], { env: ENV })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigInvalidError)
    const all = `${(error as Error).message}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(issues)}`
    expect(all).not.toContain(API_SECRET_VALUE)
    expect(all).not.toContain(WALLET_VALUE.slice(2))
    expect((error as Error).message).toContain(
      `${file}:${COMBINED.split('\n').findIndex((l) => l.startsWith('API_SECRET')) + 1} [binance.trading-engine] API_SECRET: holds a literal secret`,
    )
  })

  test('a missing environment variable names the key and the variable', () => {
    const file = write(COMBINED)
    const issues = issuesOf([file], { BINANCE_API_KEY: API_KEY_VALUE, LP_WALLET_KEY: WALLET_VALUE })
    expect(issues).toEqual([
      {
        file,
        section: 'binance.trading-engine',
        key: 'API_SECRET',
        line: COMBINED.split('\n').findIndex((l) => l.startsWith('API_SECRET')) + 1,
        message: 'environment variable BINANCE_API_SECRET is not set',
      },
    ])
    expect(formatConfigIssue(issues[0] as never)).toMatch(
      /c\d+\.ini:\d+ \[binance\.trading-engine\] API_SECRET: environment variable BINANCE_API_SECRET is not set$/,
    )
  })

  test('bad values: valibot messages for original keys, hedgerConfigSchema messages for hedger keys, mapped to lines', () => {
    const text = COMBINED.replace('CHAIN_ID = 31337', 'CHAIN_ID = mainnet')
      .replace('TICK_SIZE = 0.01', 'TICK_SIZE = -1')
      .replace('RESUME_BASIS_BPS = 40', 'RESUME_BASIS_BPS = 90')
      .replace('FEE_TIER = 0.0005', 'FEE_TIER = 0.002')
    const issues = issuesOf([write(text)])
    const lines = text.split('\n')
    const lineOf = (needle: string) => lines.findIndex((l) => l.startsWith(needle)) + 1
    expect(issues.map((i) => [i.section, i.key, i.line, i.message])).toEqual([
      [
        'trader.HEDGER.VENUE.binance-usdm',
        'TICK_SIZE',
        lineOf('TICK_SIZE = -1'),
        'must be a positive decimal string such as "0.01"',
      ],
      ['trader.HEDGER', null, null, 'risk.resumeBasisBps must be ≤ risk.maxBasisBps'],
      ['lp-manager.LP', 'CHAIN_ID', lineOf('CHAIN_ID'), 'must be an integer (got "mainnet")'],
      ['lp-manager.LP', 'FEE_TIER', lineOf('FEE_TIER'), 'must be 0.0001, 0.0005, 0.003 or 0.01 (got "0.002")'],
    ])
    // With the tick fixed, the schema's cross-field check speaks.
    const next = issuesOf([
      write(text.replace('TICK_SIZE = -1', 'TICK_SIZE = 0.01').replace('mainnet', '1').replace('0.002', '0.003')),
    ])
    expect(next.map((i) => i.message)).toEqual(['risk.resumeBasisBps must be ≤ risk.maxBasisBps'])
  })

  test('a missing file and a duplicate PROCESS_NAME across files', () => {
    const a = write('[trader]\nPROCESS_NAME = same\n[trader.HEDGER.VENUE.x]\nTICK_SIZE = 0.1\nSTEP_SIZE = 1\n')
    const b = write(COMBINED.replace('PROCESS_NAME = lp', 'PROCESS_NAME = same'))
    const issues = issuesOf([a, b, join(dir, 'missing.ini')])
    expect(issues.map((i) => [i.file, i.section, i.key])).toEqual(
      expect.arrayContaining([
        [join(dir, 'missing.ini'), null, null],
        [b, 'lp-manager', 'PROCESS_NAME'],
      ]),
    )
  })

  test('a misspelled role section is named with a did-you-mean, and its keys are not taken as another role’s', () => {
    const text = COMBINED.replace('[trader]\n', '[traderr]\n')
    const file = write(text)
    const issues = issuesOf([file])
    const line = text.split('\n').findIndex((l) => l === '[traderr]') + 1
    expect(issues.find((i) => i.section === 'traderr')).toMatchObject({ file, line, key: null })
    expect(issues.find((i) => i.section === 'traderr')?.message).toContain('did you mean [trader]?')
  })

  test('an environment variable set but empty is an error naming the key and the variable', () => {
    const file = write(COMBINED)
    const issues = issuesOf([file], { ...ENV, BINANCE_API_SECRET: '' })
    expect(issues.map((i) => [i.file, i.section, i.key])).toEqual([[file, 'binance.trading-engine', 'API_SECRET']])
    expect(issues[0]?.message).toContain('BINANCE_API_SECRET')
  })

  test('a keystore reference to a file that does not exist names the key and the file, never a value', () => {
    const file = write(COMBINED.replace('env:BINANCE_API_SECRET', 'keystore:missing-keystore.json#binance'))
    const issues = issuesOf([file])
    expect(issues.map((i) => [i.file, i.section, i.key])).toEqual([[file, 'binance.trading-engine', 'API_SECRET']])
    expect(issues[0]?.message).toContain('missing-keystore.json')
    expect(JSON.stringify(issues)).not.toContain(API_SECRET_VALUE)
  })
})

describe('empty values', () => {
  test('an empty SYMBOLS and an empty API_KEY are errors naming the key and what to write', () => {
    const file = write(
      COMBINED.replace(/^SYMBOLS = ETHUSDT$/m, 'SYMBOLS =').replace('API_KEY = env:BINANCE_API_KEY', 'API_KEY ='),
    )
    const issues = issuesOf([file]).map((i) => `[${i.section}] ${i.key}: ${i.message}`)
    expect(issues).toContain(
      '[binance.trading-engine] API_KEY: is empty: write a reference, env:VAR or keystore:<file>#<name>',
    )
    expect(issues.filter((i) => i.includes('SYMBOLS'))).toEqual([
      '[binance.trading-engine.MARKET_DATA] SYMBOLS: must name at least one symbol (got "")',
    ])
  })
})

describe('[GLOBAL] keys the roles take', () => {
  test('PNL_SNAPSHOT_MS, CONTROL_HOST/CONTROL_PORT and TRANSPORT reach the role config, with their defaults', () => {
    const file = write(
      COMBINED.replace('[trader]\n', '[trader]\nPNL_SNAPSHOT_MS = 5000\nCONTROL_PORT = 9999\nTRANSPORT = zmq\n'),
    )
    const roles = loadConfigFiles([file], { env: ENV }).roles
    const trader = roles.find((role) => role.role === 'trader')
    const other = roles.find((role) => role.role === 'lp-manager')
    expect([trader?.pnlSnapshotMs, trader?.control, trader?.transport]).toEqual([
      5000,
      { host: '127.0.0.1', port: 9999 },
      'zmq',
    ])
    expect([other?.pnlSnapshotMs, other?.control, other?.transport]).toEqual([
      60_000,
      { host: '127.0.0.1', port: 0 },
      'auto',
    ])
  })
})
