import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createGrvtClientOrderId,
  createGrvtConnector,
  type GrvtConnector,
  type Order,
  systemClock,
} from '@alp/exchange-connectors'
import { computeNetExposure, systemRunnerClock } from '@alp/hedger'
import { type RunningGrvtEmulator, startGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkConfigFiles, loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import { ConfigInvalidError } from '../src/errors/config.js'
import { waitFor } from './deploymentVenue.js'

// The deployment with GRVT as the hedge venue (ETH_USDT_Perp on the @alp/venue-sim GRVT emulator), its connector built
// from the config alone ([GRVT] SUB_ACCOUNT_ID and CHAIN_ID, API_KEY / API_SECRET = the EIP-712 signing key). The LP
// side is a test publisher of `lpInventory` on the deployment's bus.
const SYMBOL = 'ETH_USDT_Perp'
// Public anvil test keys #5 and #6 (known to everyone; they sign emulator orders only).
const HEDGER = {
  apiKey: 'grvthedgerkey',
  signer: '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  sub: '1001',
}
const TAKER = {
  apiKey: 'grvttakerkey',
  signer: '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  sub: '1002',
}
const ENV = { GRVT_KEY: HEDGER.apiKey, GRVT_SIGNER: HEDGER.signer }
const dir = mkdtempSync(join(tmpdir(), 'alp-grvt-'))
let emu: RunningGrvtEmulator
let taker: GrvtConnector
let observer: GrvtConnector
let deployment: Deployment
const errors: unknown[] = []
let nonce = 1
let ids = 0n

const connect = (account: typeof HEDGER) =>
  createGrvtConnector({
    urls: {
      edgeUrl: emu.restUrl,
      tradesUrl: emu.restUrl,
      marketDataUrl: emu.restUrl,
      marketDataWsUrl: emu.wsUrl,
      tradesWsUrl: emu.wsUrl,
    },
    apiKey: account.apiKey,
    signerPrivateKey: account.signer,
    subAccountId: account.sub,
    chainId: 326,
    clock: systemClock,
    random: Math.random,
    nextNonce: () => nonce++,
  })
/** The hedger's account as the venue lists it (a separate connector with the hedger's keys: the venue's truth). */
const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders()).filter((order) => order.symbol === SYMBOL)
const trader = () => {
  if (deployment.trader === null) throw new Error('no trader')
  return deployment.trader
}
const netBase = () => computeNetExposure(trader().state).netBase

/**
 * Moves the top of the emulator's book (a bid above the best placed and cancelled): GRVT's connector derives its best
 * bid/offer from the book and emits one only when the top moves.
 */
async function poke(): Promise<void> {
  const clientOrderId = createGrvtClientOrderId(++ids)
  await taker.execution.placeOrder({
    symbol: SYMBOL,
    side: 'buy',
    price: '2676.00',
    sizeBase: '0.01',
    timeInForce: 'gtc',
    clientOrderId,
  })
  await taker.execution.cancelOrder({ symbol: SYMBOL, clientOrderId })
}

beforeAll(async () => {
  emu = await startGrvtEmulator({
    instruments: [{ instrument: SYMBOL, instrumentHash: '0x030401', tickSize: '0.01', minSize: '0.01' }],
    accounts: [HEDGER, TAKER].map((a) => ({
      apiKey: a.apiKey,
      signerPrivateKeys: [a.signer],
      subAccountId: a.sub,
      balances: { USDT: '100000' },
    })),
    market: { kind: 'none' },
  })
  taker = await connect(TAKER)
  for (const [side, price] of [
    ['buy', '2675.00'],
    ['sell', '2685.00'],
  ] as const)
    await taker.execution.placeOrder({
      symbol: SYMBOL,
      side,
      price,
      sizeBase: '5.00',
      timeInForce: 'gtc',
      clientOrderId: createGrvtClientOrderId(++ids),
    })
  observer = await connect(HEDGER)
  // GRVT's URLs from the emulator's one base: HTTP_BASE_URL serves edge, trades and market data, WS_PUBLIC_URL both streams.
  const venueRole = (role: string, account: boolean) => `[grvt.${role}]
PROCESS_NAME = grvt_${role.replace('-', '_')}
ASSET_TYPE = PERPETUAL
METRICS_PORT = 0
API_KEY = env:GRVT_KEY
${account ? 'API_SECRET = env:GRVT_SIGNER\n' : ''}[grvt.${role}.HTTP_API]
HTTP_BASE_URL = ${emu.restUrl}
[grvt.${role}.WEBSOCKET]
WS_PUBLIC_URL = ${emu.wsUrl}
[grvt.${role}.MARKET_DATA]
SYMBOLS = ${SYMBOL}
${account ? `[grvt.${role}.GRVT]\nSUB_ACCOUNT_ID = ${HEDGER.sub}\nCHAIN_ID = 326\n` : ''}`
  const file = join(dir, 'alp.ini')
  writeFileSync(
    file,
    `${venueRole('quote-server', false)}
${venueRole('trading-engine', true)}
${venueRole('position-server', true)}
[trader]
PROCESS_NAME = trader
DATA_DIR = ${join(dir, 'data')}
METRICS_PORT = 0
[trader.HEDGER.HEDGE]
ORDER_SIZE_BASE = 0.1
[trader.HEDGER.CALIBRATION.VOLATILITY]
HALF_LIFE_MS = 5000
WARM_UP_MS = 0
MIN_INCREMENTS = 1
[trader.HEDGER.CALIBRATION.INTENSITY]
MODE = fixed
A_PER_SEC = 1
K_PER_PRICE = 2
[trader.HEDGER.RISK]
BASIS_SAMPLE_MS = 50
MAX_BASIS_BPS = 100
RESUME_BASIS_BPS = 50
MIN_CORRELATION = -1
[trader.HEDGER.VENUE.grvt]
TICK_SIZE = 0.01
STEP_SIZE = 0.01
MIN_NOTIONAL_QUOTE = 20
MAX_POSITION_BASE = 2
MAX_ORDER_SIZE_BASE = 1
STALE_AFTER_MS = 600000
SUPPORTS_AMEND = false
DEAD_MAN_TIMEOUT_MS = 5000
DEAD_MAN_REARM_MS = 500
RATE_LIMIT_CAPACITY = 20
RATE_LIMIT_REFILL_PER_SEC = 20
`,
  )
  deployment = createDeployment(loadConfigFiles([file], { env: ENV }), {
    timerIntervalMs: 50,
    onError: (error) => errors.push(error),
  })
  await deployment.start()
  const inventory = await deployment.bus.publisher('inventory', { publisher: 'test-lp' })
  inventory.publish({
    type: 'lpInventory',
    tsNs: systemRunnerClock.nowNs(),
    baseHeldBase: '1.000',
    baseTargetBase: '1.000',
    poolPrice: '2680.000000000000',
  })
  // The trader follows market data once its start-up reconciliation is done: move the top until it quotes.
  await waitFor(async () => {
    await poke()
    return trader().state.venues[0]?.status === 'quoting'
  }, 'the trader quoting on grvt').catch((error: unknown) => {
    throw new Error(
      `${String(error)}; status ${trader().state.venues[0]?.status}; errors ${errors.map(String).join(' | ')}`,
    )
  })
  // The LP long 0.3 WETH more than its target: the trader's reducing side (sell) carries it.
  inventory.publish({
    type: 'lpInventory',
    tsNs: systemRunnerClock.nowNs(),
    baseHeldBase: '1.300',
    baseTargetBase: '1.000',
    poolPrice: '2680.000000000000',
  })
}, 120_000)

afterAll(async () => {
  await deployment?.stop({ timeoutMs: 5_000 }).catch(() => undefined)
  await taker?.close()
  await observer?.close()
  await emu?.close()
})

describe('createDeployment with GRVT built from the config', () => {
  it('quotes post-only on GRVT; a taker lifts the hedge ask (a fill); the net exposure falls; stop leaves no order of ours', async () => {
    await waitFor(() => netBase() > 0.29, 'the LP exposure from the bus')
    const ask = await waitFor(async () => {
      const open = await ourOpenOrders()
      return open.find((order) => order.side === 'sell' && Number(order.sizeBase) >= 0.299)
    }, 'a hedge ask of 0.3 on GRVT')
    expect(ask?.timeInForce).toBe('postOnly')
    await taker.execution.placeOrder({
      symbol: SYMBOL,
      side: 'buy',
      price: ask?.price as string,
      sizeBase: ask?.sizeBase as string,
      timeInForce: 'ioc',
      clientOrderId: createGrvtClientOrderId(++ids),
    })
    await waitFor(() => Math.abs(netBase()) < 0.0015, 'the net exposure back to target')
    const report = await deployment.stop({ timeoutMs: 10_000 })
    expect(report?.venues).toEqual([{ venue: 'grvt', confirmed: true, openOrders: 0 }])
    expect(await ourOpenOrders()).toEqual([])
    expect(errors).toEqual([])
  })

  it('a GRVT trading-engine without [GRVT] SUB_ACCOUNT_ID and CHAIN_ID cannot start; [GRVT] on a Binance role is a config error', async () => {
    const engine = `[grvt.trading-engine]
PROCESS_NAME = grvt_engine
API_KEY = env:GRVT_KEY
API_SECRET = env:GRVT_SIGNER
[grvt.trading-engine.HTTP_API]
HTTP_BASE_URL = https://market-data.grvt.io
[grvt.trading-engine.WEBSOCKET]
WS_PUBLIC_URL = wss://market-data.grvt.io/ws/full
[grvt.trading-engine.MARKET_DATA]
SYMBOLS = ETH_USDT_Perp
[trader]
PROCESS_NAME = trader
DATA_DIR = ${join(dir, 'data-missing')}
[trader.HEDGER.VENUE.grvt]
TICK_SIZE = 0.01
STEP_SIZE = 0.01
SUPPORTS_AMEND = false
`
    const file = join(dir, 'grvt-missing.ini')
    writeFileSync(file, engine)
    const error = await createDeployment(loadConfigFiles([file], { env: ENV }))
      .start()
      .then(
        () => null,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(ConfigInvalidError)
    expect((error as ConfigInvalidError).issues.map((issue) => [issue.file, issue.section, issue.key])).toEqual([
      [file, 'grvt.trading-engine.GRVT', 'SUB_ACCOUNT_ID'],
      [file, 'grvt.trading-engine.GRVT', 'CHAIN_ID'],
    ])

    const binance = join(dir, 'grvt-on-binance.ini')
    writeFileSync(
      binance,
      `[binance.quote-server]
PROCESS_NAME = binance_quotes
[binance.quote-server.HTTP_API]
HTTP_BASE_URL = https://fapi.binance.com
[binance.quote-server.WEBSOCKET]
WS_PUBLIC_URL = wss://fstream.binance.com/public
[binance.quote-server.MARKET_DATA]
SYMBOLS = ETHUSDT
[binance.quote-server.GRVT]
SUB_ACCOUNT_ID = 1001
`,
    )
    const { config, issues } = checkConfigFiles([binance], { env: ENV })
    expect(config).toBeNull()
    expect(issues).toEqual([
      {
        file: binance,
        section: 'binance.quote-server.GRVT',
        key: null,
        line: 9,
        message: "is for GRVT roles only (this role's exchange is binance)",
      },
    ])
  })
})
