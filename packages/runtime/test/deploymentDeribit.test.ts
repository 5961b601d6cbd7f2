import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDeribitConnector, type DeribitConnector, type Order, systemClock } from '@alp/exchange-connectors'
import { computeNetExposure } from '@alp/hedger'
import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import { waitFor } from './deploymentVenue.js'
import { stopDeploymentAndClose, waitForQuoting } from './helpers/deploymentTail.js'
import { lpInventoryAt } from './helpers/lpInventory.js'
import { traderIni } from './helpers/traderIni.js'

// The same deployment with Deribit as the hedge venue (ETH_USDC-PERPETUAL on the @alp/venue-sim Deribit emulator),
// its connector built from the config. The LP side is a test publisher of `lpInventory` on the deployment's bus.
const SYMBOL = 'ETH_USDC-PERPETUAL'
const dir = mkdtempSync(join(tmpdir(), 'alp-deribit-'))
const ENV = { DB_ID: 'hedger', DB_SECRET: 'hedger-secret' }
let emu: RunningDeribitEmulator
let taker: DeribitConnector
let observer: DeribitConnector
let deployment: Deployment
const errors: unknown[] = []
let nonce = 0
let pokes = 0

const connect = (clientId: string) =>
  createDeribitConnector({
    wsUrl: emu.wsUrl,
    credentials: { clientId, clientSecret: `${clientId}-secret` },
    clock: systemClock,
    random: Math.random,
    nonce: () => `t${++nonce}`,
  })
const takerExec = () => {
  if (!taker.execution) throw new Error('no taker execution')
  return taker.execution
}
const ourOpenOrders = async (): Promise<Order[]> => {
  if (!observer.execution) throw new Error('no observer execution')
  return (await observer.execution.getOpenOrders(SYMBOL)).filter((order) => order.clientOrderId.startsWith('alp'))
}
const trader = () => {
  if (deployment.trader === null) throw new Error('no trader')
  return deployment.trader
}
const netBase = () => computeNetExposure(trader().state).netBase

async function poke(): Promise<void> {
  const clientOrderId = `poke${++pokes}`
  await takerExec().placeOrder({
    symbol: SYMBOL,
    side: 'buy',
    price: '2500.00',
    sizeBase: '0.010',
    timeInForce: 'gtc',
    clientOrderId,
  })
  await takerExec().cancelOrder({ symbol: SYMBOL, clientOrderId })
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: SYMBOL, tickSize: '0.05', stepSize: '0.001' }],
    accounts: [
      { clientId: 'hedger', clientSecret: 'hedger-secret', balances: { USDC: '100000' } },
      { clientId: 'taker', clientSecret: 'taker-secret', balances: { USDC: '100000' } },
    ],
    market: { kind: 'none' },
  })
  taker = await connect('taker')
  for (const [side, price] of [
    ['buy', '2675.00'],
    ['sell', '2685.00'],
  ] as const)
    await takerExec().placeOrder({
      symbol: SYMBOL,
      side,
      price,
      sizeBase: '5.000',
      timeInForce: 'gtc',
      clientOrderId: `tk${side}`,
    })
  observer = await connect('hedger') // the hedger's account, read by a connector of the test
  const venueRole = (role: string, keys: boolean) => `[deribit.${role}]
PROCESS_NAME = deribit_${role.replace('-', '_')}
ASSET_TYPE = PERPETUAL
METRICS_PORT = 0
${keys ? 'API_KEY = env:DB_ID\nAPI_SECRET = env:DB_SECRET\n' : ''}[deribit.${role}.HTTP_API]
HTTP_BASE_URL = ${emu.restUrl}
[deribit.${role}.WEBSOCKET]
WS_PUBLIC_URL = ${emu.wsUrl}
[deribit.${role}.MARKET_DATA]
SYMBOLS = ${SYMBOL}
`
  const file = join(dir, 'alp.ini')
  writeFileSync(
    file,
    `${venueRole('quote-server', false)}
${venueRole('trading-engine', true)}
${venueRole('position-server', true)}
${traderIni({
  dataDir: join(dir, 'data'),
  venue: 'deribit',
  venueKeys: `TICK_SIZE = 0.05
STEP_SIZE = 0.001
MIN_NOTIONAL_QUOTE = 20
SUPPORTS_AMEND = true`,
})}`,
  )
  deployment = createDeployment(loadConfigFiles([file], { env: ENV }), {
    timerIntervalMs: 50,
    onError: (error) => errors.push(error),
  })
  await deployment.start()
  const inventory = await deployment.bus.publisher('inventory', { publisher: 'test-lp' })
  inventory.publish(lpInventoryAt('1.000'))
  await poke()
  await poke()
  await waitForQuoting(
    deployment,
    errors,
    () => trader().state.venues[0]?.status === 'quoting',
    'the trader quoting on deribit',
  )
  // The LP long 0.3 WETH more than its target: the trader's reducing side (sell) carries it.
  inventory.publish(lpInventoryAt('1.300'))
}, 120_000)

afterAll(() => stopDeploymentAndClose(deployment, [taker, observer, emu]))

describe('createDeployment with Deribit built from the config', () => {
  it('quotes post-only on Deribit; a taker lifts the hedge ask; the net exposure falls; stop leaves no order of ours', async () => {
    await waitFor(() => netBase() > 0.29, 'the LP exposure from the bus')
    const ask = await waitFor(async () => {
      const open = await ourOpenOrders()
      return open.find((order) => order.side === 'sell' && Number(order.sizeBase) >= 0.299)
    }, 'a hedge ask of 0.3 on Deribit')
    expect(ask?.timeInForce).toBe('postOnly')
    await takerExec().placeOrder({
      symbol: SYMBOL,
      side: 'buy',
      price: ask?.price as string,
      sizeBase: ask?.sizeBase as string,
      timeInForce: 'ioc',
      clientOrderId: 'tklift',
    })
    await waitFor(() => Math.abs(netBase()) < 0.0015, 'the net exposure back to target')
    const report = await deployment.stop({ timeoutMs: 10_000 })
    expect(report?.venues).toEqual([{ venue: 'deribit', confirmed: true, openOrders: 0 }])
    expect(await ourOpenOrders()).toEqual([])
    expect(errors).toEqual([])
  })
})
