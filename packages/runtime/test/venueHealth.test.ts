import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DeploymentConfig, loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import { createInProcessBus } from '../src/transport/createInProcessBus.js'
import type { MarketDataMessage } from '../src/transport/topics.js'
import { DEPLOYMENT_ENV, HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { connectBinance, placeBackgroundLiquidity, startBinanceVenue, waitFor } from './deploymentVenue.js'
import { pokeBinance } from './helpers/binanceTop.js'
import { lpInventoryAt } from './helpers/lpInventory.js'
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy.js'

// The quote-server's view of its market-data connection reaches the trader in another role set: two deployments on one
// bus, (A) the quote-server whose connector reads the Binance emulator's streams through a TCP proxy of the test, (B)
// the trading engine, the position server and the trader with a connector of their own (its connections untouched).
// The proxy cuts the quote-server's WebSocket and refuses it while cut: the trader halts quoting on the venue and its
// orders are cancelled; the proxy lets it through again: the trader quotes again. Before the quote-server published
// venueHealth on marketData nothing told the trader (in the one-process runner the connector's health did).
const dir = mkdtempSync(join(tmpdir(), 'alp-venue-health-'))
let emu: RunningBinanceEmulator
let taker: BinanceConnector
let observer: BinanceConnector
let proxy: TcpProxy
let engine: Deployment
let quotes: Deployment
const errors: unknown[] = []
const health: MarketDataMessage[] = []

const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))
const venueState = () => {
  const venue = engine.trader?.state.venues[0]
  if (venue === undefined) throw new Error('no trader')
  return venue
}
const status = () => (engine.trader === null ? 'no trader' : venueState().status)

/** Moves the top of the emulator's book: depth and BBO events. */
const poke = () => pokeBinance(taker)

beforeAll(async () => {
  emu = await startBinanceVenue(21)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  proxy = await startTcpProxy(Number(new URL(emu.wsUrl).port))
  const config = loadConfigFiles([writeDeploymentIni(dir, emu)], { env: DEPLOYMENT_ENV })
  // (A) reads the streams through the proxy; (B) keeps the emulator's own URL.
  const proxied: DeploymentConfig = {
    ...config,
    roles: config.roles.map((role) =>
      role.role === 'quote-server' && role.websocket !== null
        ? { ...role, websocket: { ...role.websocket, publicUrl: `ws://127.0.0.1:${proxy.port}/public` } }
        : role,
    ),
  }
  const bus = createInProcessBus()
  const onError = (error: unknown) => errors.push(error)
  engine = createDeployment(config, {
    bus,
    roles: ['trading-engine', 'position-server', 'trader'],
    timerIntervalMs: 50,
    onError,
  })
  await engine.start()
  quotes = createDeployment(proxied, { bus, roles: ['quote-server'], onError })
  await quotes.start()
  const marketData = await bus.subscriber('marketData', { endpoints: [...engine.venues.values()][0]?.endpoints })
  marketData.on('message', (message) => {
    if (message.type === 'venueHealth') health.push(message)
  })
  const inventory = await bus.publisher('inventory', { publisher: 'test-lp' })
  // The LP is 0.3 ETH longer than its target: the trader's reducing side (a sell) carries it.
  inventory.publish(lpInventoryAt('1.300'))
}, 120_000)

afterAll(async () => {
  await engine?.stop({ timeoutMs: 5_000 }).catch(() => undefined)
  await quotes?.stop({ timeoutMs: 5_000 }).catch(() => undefined)
  await taker?.close()
  await observer?.close()
  await proxy?.close()
  await emu?.close()
})

describe('venueHealth from the quote-server on marketData', () => {
  it('a cut market-data WebSocket halts quoting on the venue (orders cancelled); back again, the trader quotes again', async () => {
    await waitFor(async () => {
      await poke()
      return status() === 'quoting' && (await ourOpenOrders()).length > 0
    }, 'the trader quoting').catch((error: unknown) => {
      throw new Error(`${String(error)}; status ${status()}; errors ${errors.map(String).join(' | ')}`)
    })

    proxy.cut()
    await waitFor(() => status() === 'disconnected', 'the trader halting on the venue').catch((error: unknown) => {
      throw new Error(`${String(error)}; status ${status()}; health ${JSON.stringify(health.map((h) => h.type))}`)
    })
    expect(venueState().connected).toBe(false)
    expect(health.at(-1)).toMatchObject({ type: 'venueHealth', venue: 'binance-usdm', status: 'disconnected' })
    await waitFor(async () => (await ourOpenOrders()).length === 0, 'our orders cancelled on the venue')
    // Still halted while the socket stays refused: the engine's own connections being up does not resume it.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(status()).toBe('disconnected')
    expect(await ourOpenOrders()).toEqual([])

    proxy.restore()
    await waitFor(async () => {
      await poke()
      return status() === 'quoting' && (await ourOpenOrders()).length > 0
    }, 'the trader quoting again').catch((error: unknown) => {
      throw new Error(`${String(error)}; status ${status()}; health ${JSON.stringify(health)}`)
    })
    expect(health.some((h) => h.type === 'venueHealth' && h.status === 'connected')).toBe(true)
    const report = await engine.stop({ timeoutMs: 10_000 })
    expect(report?.venues).toEqual([{ venue: 'binance-usdm', confirmed: true, openOrders: 0 }])
  }, 90_000)
})
