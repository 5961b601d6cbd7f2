import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import type { MessageBus } from '../src/transport/bus.js'
import { createZmqBus } from '../src/transport/createZmqBus.js'
import type { Endpoints } from '../src/transport/portMap.js'
import { HEDGER_KEYS, TAKER_KEYS, writeDeploymentIni } from './deploymentConfig.js'
import { connectBinance, placeBackgroundLiquidity, startBinanceVenue, waitFor } from './deploymentVenue.js'
import {
  appendFreeEndpoints,
  bundleRoleProcess,
  type RoleProcess,
  started,
  startRoleProcess,
  stopRole,
} from './splitHarness.js'

// `alp start --roles …` in five processes (trader, lp-manager, trading-engine, position-server, quote-server) over
// ZeroMQ on the config's [PUBLISHERS] endpoints, against the Binance emulator. The trader starts first, the
// quote-server last (late joiners on both sides: the trader gets the inventory, open orders and positions as snapshots).
const dir = mkdtempSync(join(tmpdir(), 'alp-split-'))
const bundle = bundleRoleProcess()
let emu: RunningBinanceEmulator
let taker: BinanceConnector
let observer: BinanceConnector
let file: string
let endpoints: Endpoints
let bus: MessageBus
const processes: RoleProcess[] = []

const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))

beforeAll(async () => {
  emu = await startBinanceVenue(23)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  file = writeDeploymentIni(dir, emu, {
    lp: {
      rpcUrl: 'http://127.0.0.1:1',
      pool: `0x${'11'.repeat(20)}`,
      positionManager: `0x${'22'.repeat(20)}`,
    },
  })
  endpoints = await appendFreeEndpoints(file)
}, 60_000)

afterAll(async () => {
  for (const role of processes) if (role.child.exitCode === null) role.child.kill('SIGKILL')
  await bus?.close()
  await taker?.close()
  await observer?.close()
  await emu?.close()
  bundle.remove()
})

describe('alp start --roles: the roles split over ZeroMQ', () => {
  it('five processes, trader first and quote-server last: post-only quotes, a fill, the net exposure falls; each process has its own pid file; SIGTERM stops them with every order cancelled', async () => {
    const start = async (roles: string): Promise<RoleProcess> => {
      const role = startRoleProcess(bundle.script, file, roles)
      processes.push(role)
      await started(role)
      return role
    }
    const trader = await start('trader')
    expect(trader.output()).toContain('started trader (pid')
    // The trader's process alone: no venue role, no LP manager in it.
    expect(trader.output()).not.toContain('binance.')
    await start('lp-manager')
    await start('binance.trading-engine')
    await start('binance.position-server')
    for (const name of ['trader', 'lp_manager', 'binance_trading_engine', 'binance_position_server'])
      expect(existsSync(join(dir, 'data', `${name}.pid`)), name).toBe(true)

    // The operator's view (a `cli` peer): the trader's orderUpdates, with the netExposureBase metric.
    bus = createZmqBus({ endpoints })
    const orderUpdates = await bus.subscriber('orderUpdates')
    const exposure: number[] = []
    orderUpdates.on('message', (message) => {
      if (message.type === 'metric' && message.name === 'netExposureBase') exposure.push(message.value)
    })

    // A role runs in one process only: a second process with the (running) trading engine is refused before it binds
    // anything, whatever its main role (here the quote-server, not running yet).
    const twice = startRoleProcess(bundle.script, file, 'binance.quote-server,binance.trading-engine')
    processes.push(twice)
    expect(await twice.exited).toBe(EXIT.ALREADY_RUNNING)
    expect(twice.output()).toContain('binance_trading_engine.pid')
    expect(existsSync(join(dir, 'data', 'binance_quote_server.pid'))).toBe(false)
    processes.splice(processes.indexOf(twice), 1)

    const quoteServer = await start('binance.quote-server')
    expect(existsSync(join(dir, 'data', 'binance_quote_server.pid'))).toBe(true)
    // Book events for the quote-server (a far bid placed and cancelled) until our bid and ask rest on the venue.
    const open = await waitFor(
      async () => {
        const clientOrderId = `poke-${Date.now()}`
        await taker.execution.placeOrder({
          symbol: 'ETHUSDT',
          side: 'buy',
          price: '2500.00',
          sizeBase: '0.010',
          timeInForce: 'gtc',
          clientOrderId,
        })
        await taker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
        const orders = await ourOpenOrders()
        return orders.some((o) => o.side === 'sell') ? orders : undefined
      },
      'our ask on the venue',
      60_000,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}\n${processes.map((p) => `--- ${p.roles}\n${p.output().slice(-3000)}`).join('\n')}`,
      )
    })
    if (open === undefined) throw new Error('unreachable')
    expect(open.every((order) => order.timeInForce === 'postOnly')).toBe(true)
    await waitFor(() => exposure.length > 0, 'a netExposureBase metric from the trader')
    const before = exposure.at(-1) as number
    expect(before).toBeGreaterThan(0.5) // the LP's 1 WETH of excess, not hedged yet
    // A taker lifts our ask.
    const ask = open.find((order) => order.side === 'sell') as Order
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: ask.price,
      sizeBase: ask.sizeBase,
      timeInForce: 'ioc',
      clientOrderId: `lift-${Date.now()}`,
    })
    await waitFor(async () => {
      const [position] = await observer.execution.getPositions('ETHUSDT')
      return position !== undefined && Number(position.sizeBase) < 0
    }, 'our short position on the venue')
    await waitFor(() => (exposure.at(-1) as number) < before - 0.05, 'the net exposure falls').catch(
      (error: unknown) => {
        throw new Error(`${String(error)}: ${exposure.slice(-5).join(', ')}\n${trader.output().slice(-3000)}`)
      },
    )
    // The operator's stop: the trader first (cancels every order, the engine confirms), then the others.
    expect(await stopRole(trader)).toBe(EXIT.OK)
    expect(trader.output()).toContain('stopped: binance-usdm confirmed no open order')
    expect(await ourOpenOrders()).toEqual([])
    for (const role of processes.filter((p) => p !== trader)) expect(await stopRole(role), role.roles).toBe(EXIT.OK)
    expect(quoteServer.output()).not.toMatch(/"level":50/)
    for (const name of ['trader', 'lp_manager', 'binance_trading_engine', 'binance_position_server'])
      expect(existsSync(join(dir, 'data', `${name}.pid`)), name).toBe(false)
  }, 150_000)
})
