import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GrvtConnector } from '@alp/exchange-connectors'
import { computeNetExposure } from '@alp/hedger'
import type { RunningGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkConfigFiles, loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import { ConfigInvalidError } from '../src/errors/config.js'
import { waitFor } from './deploymentVenue.js'
import { stopDeploymentAndClose, waitForQuoting } from './helpers/deploymentTail.js'
import {
  connectGrvt,
  GRVT_ENV as ENV,
  grvtHedgeIni,
  grvtOpenOrders,
  GRVT_HEDGER as HEDGER,
  nextGrvtClientOrderId,
  placeGrvtBackgroundLiquidity,
  pokeGrvt,
  GRVT_SYMBOL as SYMBOL,
  startGrvtVenue,
  GRVT_TAKER as TAKER,
} from './helpers/grvtVenue.js'
import { lpInventoryAt } from './helpers/lpInventory.js'

// The deployment with GRVT as the hedge venue (ETH_USDT_Perp on the @alp/venue-sim GRVT emulator), its connector built
// from the config alone ([GRVT] SUB_ACCOUNT_ID and CHAIN_ID, API_KEY / API_SECRET = the EIP-712 signing key). The LP
// side is a test publisher of `lpInventory` on the deployment's bus.
const dir = mkdtempSync(join(tmpdir(), 'alp-grvt-'))
let emu: RunningGrvtEmulator
let taker: GrvtConnector
let observer: GrvtConnector
let deployment: Deployment
const errors: unknown[] = []

/** The hedger's account as the venue lists it (a separate connector with the hedger's keys: the venue's truth). */
const ourOpenOrders = () => grvtOpenOrders(observer)
const trader = () => {
  if (deployment.trader === null) throw new Error('no trader')
  return deployment.trader
}
const netBase = () => computeNetExposure(trader().state).netBase

const poke = () => pokeGrvt(taker)

beforeAll(async () => {
  emu = await startGrvtVenue()
  taker = await connectGrvt(emu, TAKER)
  await placeGrvtBackgroundLiquidity(taker)
  observer = await connectGrvt(emu, HEDGER)
  // GRVT's URLs from the emulator's one base: HTTP_BASE_URL serves edge, trades and market data, WS_PUBLIC_URL both streams.
  const file = join(dir, 'alp.ini')
  writeFileSync(file, `${grvtHedgeIni(emu, join(dir, 'data'), false)}`)
  deployment = createDeployment(loadConfigFiles([file], { env: ENV }), {
    timerIntervalMs: 50,
    onError: (error) => errors.push(error),
  })
  await deployment.start()
  const inventory = await deployment.bus.publisher('inventory', { publisher: 'test-lp' })
  inventory.publish(lpInventoryAt('1.000'))
  // The trader follows market data once its start-up reconciliation is done: move the top until it quotes.
  await waitForQuoting(
    deployment,
    errors,
    async () => {
      await poke()
      return trader().state.venues[0]?.status === 'quoting'
    },
    'the trader quoting on grvt',
  )
  // The LP long 0.3 WETH more than its target: the trader's reducing side (sell) carries it.
  inventory.publish(lpInventoryAt('1.300'))
}, 120_000)

afterAll(() => stopDeploymentAndClose(deployment, [taker, observer, emu]))

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
      clientOrderId: nextGrvtClientOrderId(),
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
