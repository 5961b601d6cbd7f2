import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DeploymentConfig, loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import type { MessageBus } from '../src/transport/bus.js'
import { createInProcessBus } from '../src/transport/createInProcessBus.js'
import type { MarketDataMessage } from '../src/transport/topics.js'
import { DEPLOYMENT_ENV, HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { connectBinance, placeBackgroundLiquidity, startBinanceVenue, waitFor } from './deploymentVenue.js'
import { pokeBinance } from './helpers/binanceTop.js'
import { lpInventoryAt } from './helpers/lpInventory.js'
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy.js'

// The quote-server's market-data health reaches a trader that was not listening when it changed (marketData is lossy
// and has no snapshot): (A) the quote-server reads the Binance emulator's streams through a TCP proxy of the test; its
// feed is cut BEFORE (B) the trading engine, position server and trader start: the trader halts the venue. Then the
// feed comes back and the quote-server's `connected` is lost on the way (a bus that drops it): the trader resumes
// anyway, on the quote-server's periodic republish of its current health.
const dir = mkdtempSync(join(tmpdir(), 'alp-health-late-'))
let emu: RunningBinanceEmulator
let taker: BinanceConnector
let observer: BinanceConnector
let proxy: TcpProxy
let engine: Deployment | undefined
let quotes: Deployment
let config: DeploymentConfig
const bus = createInProcessBus()
const errors: unknown[] = []
const health: MarketDataMessage[] = []
/** While set, the quote-server's `connected` messages are dropped on the way to the bus (and counted). */
let dropConnected = false
let dropped = 0

/** The bus as the quote-server sees it: its marketData publisher loses `connected` while `dropConnected`. */
const lossyBus = new Proxy(bus, {
  get(target, property) {
    if (property === 'publisher')
      return async (...args: Parameters<MessageBus['publisher']>) => {
        const publisher = await target.publisher(...args)
        if (args[0] !== 'marketData') return publisher
        return new Proxy(publisher, {
          get(inner, key) {
            if (key === 'publish')
              return (message: MarketDataMessage) => {
                if (dropConnected && message.type === 'venueHealth' && message.status === 'connected') {
                  dropped += 1
                  return
                }
                inner.publish(message as never)
              }
            const value = Reflect.get(inner, key)
            return typeof value === 'function' ? value.bind(inner) : value
          },
        })
      }
    const value = Reflect.get(target, property)
    return typeof value === 'function' ? value.bind(target) : value
  },
}) as MessageBus

const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))
const venueState = () => {
  const venue = engine?.trader?.state.venues[0]
  if (venue === undefined) throw new Error('no trader')
  return venue
}
const status = () => (engine?.trader == null ? 'no trader' : venueState().status)

/** Moves the top of the emulator's book: depth and BBO events. */
const poke = () => pokeBinance(taker)

beforeAll(async () => {
  emu = await startBinanceVenue(23)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  proxy = await startTcpProxy(Number(new URL(emu.wsUrl).port))
  config = loadConfigFiles([writeDeploymentIni(dir, emu)], { env: DEPLOYMENT_ENV })
  const proxied: DeploymentConfig = {
    ...config,
    roles: config.roles.map((role) =>
      role.role === 'quote-server' && role.websocket !== null
        ? { ...role, websocket: { ...role.websocket, publicUrl: `ws://127.0.0.1:${proxy.port}/public` } }
        : role,
    ),
  }
  quotes = createDeployment(proxied, { bus: lossyBus, roles: ['quote-server'], onError: (e) => errors.push(e) })
  await quotes.start()
  const marketData = await bus.subscriber('marketData', { endpoints: [...quotes.venues.values()][0]?.endpoints })
  marketData.on('message', (message) => {
    if (message.type === 'venueHealth') health.push(message)
  })
}, 120_000)

afterAll(async () => {
  await engine?.stop({ timeoutMs: 5_000 }).catch(() => undefined)
  await quotes?.stop({ timeoutMs: 5_000 }).catch(() => undefined)
  await taker?.close()
  await observer?.close()
  await proxy?.close()
  await emu?.close()
})

describe('quote-server health reaches a late joiner', () => {
  it('a trader started after the feed went down halts the venue; one that missed the `connected` resumes', async () => {
    proxy.cut()
    await waitFor(
      () => health.some((h) => h.type === 'venueHealth' && h.status === 'disconnected'),
      'the quote-server publishing disconnected',
    )
    // (B) starts now: the `disconnected` above went out before it listened.
    engine = createDeployment(config, {
      bus,
      roles: ['trading-engine', 'position-server', 'trader'],
      timerIntervalMs: 50,
      onError: (e) => errors.push(e),
    })
    await engine.start()
    const inventory = await bus.publisher('inventory', { publisher: 'test-lp' })
    inventory.publish(lpInventoryAt('1.300'))
    await waitFor(() => status() === 'disconnected', 'the late trader halting the venue').catch((error: unknown) => {
      throw new Error(`${String(error)}; status ${status()}; errors ${errors.map(String).join(' | ')}`)
    })
    expect(venueState().connected).toBe(false)
    expect(await ourOpenOrders()).toEqual([])

    // The feed comes back; its `connected` is lost on the bus.
    dropConnected = true
    proxy.restore()
    await waitFor(() => dropped > 0, 'the quote-server’s connected (dropped)')
    dropConnected = false
    await waitFor(async () => {
      await poke()
      return status() === 'quoting' && (await ourOpenOrders()).length > 0
    }, 'the trader quoting again without the lost connected').catch((error: unknown) => {
      throw new Error(
        `${String(error)}; status ${status()}; health ${JSON.stringify(health.map((h) => h.type === 'venueHealth' && h.status))}`,
      )
    })
    expect(venueState().connected).toBe(true)
    const report = await engine.stop({ timeoutMs: 10_000 })
    engine = undefined
    expect(report?.venues).toEqual([{ venue: 'binance-usdm', confirmed: true, openOrders: 0 }])
  }, 90_000)
})
