import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BinanceConnector, Order } from '@alp/exchange-connectors'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { Journal } from '../src/journal/Journal.js'
import type { MessageBus } from '../src/transport/bus.js'
import { createZmqBus } from '../src/transport/createZmqBus.js'
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

// Restart reconciliation against the venue's history: the trader (its own process, over ZeroMQ) is SIGKILLed while
// its ask rests on the Binance emulator, a taker fills the ask, the trader starts again: the fill, which only the
// venue's trade history still has for it, is journaled once and counted in the exposure before the first new quote.
const dir = mkdtempSync(join(tmpdir(), 'alp-reconcile-'))
const bundle = bundleRoleProcess()
let emu: RunningBinanceEmulator
let taker: BinanceConnector
let observer: BinanceConnector
let file: string
let bus: MessageBus
const processes: RoleProcess[] = []
const VENUE_ROLES = 'binance.trading-engine,binance.position-server,binance.quote-server,lp-manager'

type UserTrade = { id: number; orderId: number; qty: string; side: string }
const userTrades = async (): Promise<UserTrade[]> =>
  (
    await observer.http.request<UserTrade[]>({
      method: 'GET',
      path: '/fapi/v1/userTrades',
      params: [['symbol', 'ETHUSDT']],
      security: 'SIGNED',
      cost: { weight: 5 },
      retry: 'safe',
    })
  ).body
const allOrders = async (): Promise<{ clientOrderId: string }[]> =>
  (
    await observer.http.request<{ clientOrderId: string }[]>({
      method: 'GET',
      path: '/fapi/v1/allOrders',
      params: [['symbol', 'ETHUSDT']],
      security: 'SIGNED',
      cost: { weight: 5 },
      retry: 'safe',
    })
  ).body
const ourOpenOrders = async (): Promise<Order[]> =>
  (await observer.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))
const poke = async (): Promise<void> => {
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
}
const start = async (roles: string, env: Record<string, string> = {}): Promise<RoleProcess> => {
  const role = startRoleProcess(bundle.script, file, roles, env)
  processes.push(role)
  await started(role)
  return role
}
const dump = (): string => processes.map((p) => `--- ${p.roles}\n${p.output().slice(-2500)}`).join('\n')

beforeAll(async () => {
  emu = await startBinanceVenue(31)
  taker = await connectBinance(emu, TAKER_KEYS)
  observer = await connectBinance(emu, HEDGER_KEYS)
  await placeBackgroundLiquidity(taker)
  file = writeDeploymentIni(dir, emu, {
    lp: { rpcUrl: 'http://127.0.0.1:1', pool: `0x${'11'.repeat(20)}`, positionManager: `0x${'22'.repeat(20)}` },
  })
  bus = createZmqBus({ endpoints: await appendFreeEndpoints(file) })
}, 60_000)

afterAll(async () => {
  for (const role of processes) if (role.child.exitCode === null) role.child.kill('SIGKILL')
  await bus?.close()
  await taker?.close()
  await observer?.close()
  await emu?.close()
  bundle.remove()
})

describe('restart reconciliation', () => {
  it('without its peers the trader refuses to quote: exit 4 naming the venue and the step; --skip-reconciliation starts', async () => {
    const refused = startRoleProcess(bundle.script, file, 'trader', { ALP_RECONCILE_TIMEOUT_MS: '1500' })
    processes.push(refused)
    expect(await refused.exited).toBe(EXIT.RECONCILIATION_FAILED)
    expect(refused.output()).toContain(
      'binance-usdm: start-up reconciliation failed while reading its open orders (the trading engine’s orderEvents snapshot); nothing was quoted.',
    )
    const skipping = await start('trader', { ALP_RECONCILE_TIMEOUT_MS: '1500', ALP_SKIP_RECONCILIATION: '1' })
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(skipping.child.exitCode).toBeNull()
    skipping.child.kill('SIGKILL')
    await skipping.exited
  }, 60_000)

  it('a fill made while the trader was down (SIGKILL) is found in the venue history, journaled once and counted before the first new quote; client order ids never repeat across runs', async () => {
    const exposure: number[] = []
    const orderUpdates = await bus.subscriber('orderUpdates')
    orderUpdates.on('message', (message) => {
      if (message.type === 'metric' && message.name === 'netExposureBase') exposure.push(message.value)
    })
    const venue = await start(VENUE_ROLES)
    let trader = await start('trader')
    const ask = await waitFor(
      async () => {
        await poke()
        return (await ourOpenOrders()).find((order) => order.side === 'sell')
      },
      'our ask on the venue',
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${dump()}`)
    })
    if (ask === undefined) throw new Error('unreachable')
    await waitFor(() => exposure.length > 0, 'an exposure metric')
    const before = exposure.at(-1) as number
    // The trader dies at once (no stop, no cancel); its ask rests until the dead-man switch (5 s) fires.
    trader.child.kill('SIGKILL')
    await trader.exited
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: ask.price,
      sizeBase: ask.sizeBase,
      timeInForce: 'ioc',
      clientOrderId: `lift-${Date.now()}`,
    })
    const trades = (await userTrades()).filter((trade) => String(trade.orderId) === ask.orderId)
    expect(trades.length).toBeGreaterThan(0)
    const tradeIds = trades.map((trade) => String(trade.id))
    const journal = new Journal(join(dir, 'data', 'journal.sqlite'))
    try {
      const firstRun = journal.runs().at(-1)?.runId as string
      expect(journal.fills({ venue: 'binance-usdm' }).filter((fill) => tradeIds.includes(fill.tradeId))).toEqual([])

      exposure.length = 0
      trader = await start('trader')
      const secondRun = (await waitFor(() => {
        const run = journal.runs().at(-1)?.runId
        return run !== firstRun ? run : undefined
      }, 'the second run in the journal')) as string
      await waitFor(
        () =>
          journal.fills({ venue: 'binance-usdm' }).filter((fill) => tradeIds.includes(fill.tradeId)).length ===
          tradeIds.length,
        'the missed fill journaled',
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${dump()}`)
      })
      const recovered = journal.fills({ venue: 'binance-usdm' }).filter((fill) => tradeIds.includes(fill.tradeId))
      expect(recovered.map((fill) => [fill.tradeId, fill.runId, fill.clientOrderId, fill.side])).toEqual(
        tradeIds.map((id) => [id, secondRun, ask.clientOrderId, 'sell']),
      )
      // Counted in the exposure (the LP's excess less what the ask sold), and before the new run's first quote.
      await waitFor(() => exposure.some((value) => value < before - 0.05), 'the exposure with the fill').catch(
        (error: unknown) => {
          throw new Error(`${String(error)}: before ${before}, after ${exposure.slice(0, 5).join(', ')}`)
        },
      )
      await waitFor(async () => {
        await poke()
        return journal.orders({ runId: secondRun }).length > 0
      }, 'a quote of the second run')
      const steps = journal.steps(secondRun)
      const fillStep = steps.findIndex((s) => s.event.type === 'fill' && tradeIds.includes(s.event.tradeId))
      const firstQuote = steps.findIndex((s) => s.commands.some((c) => c.type === 'placeOrder'))
      expect(fillStep).toBeGreaterThanOrEqual(0)
      expect(firstQuote).toBeGreaterThan(fillStep)
      // Client order ids: each run's carry its own run id, and the venue never saw one twice.
      const ids = (await allOrders()).map((order) => order.clientOrderId).filter((id) => id.startsWith('alp'))
      expect(new Set(ids).size).toBe(ids.length)
      const firstIds = journal.orders({ runId: firstRun }).map((order) => order.clientOrderId)
      const secondIds = journal.orders({ runId: secondRun }).map((order) => order.clientOrderId)
      expect(firstIds.length).toBeGreaterThan(0)
      expect(firstIds.every((id) => id.includes(firstRun) && !secondIds.includes(id))).toBe(true)
      expect(secondIds.every((id) => id.includes(secondRun))).toBe(true)
    } finally {
      journal.close()
    }
    expect(await stopRole(trader)).toBe(EXIT.OK)
    expect(await stopRole(venue)).toBe(EXIT.OK)
  }, 120_000)
})
