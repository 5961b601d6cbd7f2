import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type HedgerCommand, type HedgerConfigInput, systemRunnerClock } from '@alp/hedger'
import { InventoryEventStream } from '@alp/uniswap-lp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../src/journal/Journal.js'
import { startTrader, type TraderHandle } from '../src/roles/startTrader.js'
import type { MessageBus, TopicPublisher } from '../src/transport/bus.js'
import { createInProcessBus } from '../src/transport/createInProcessBus.js'
import { resolveEndpoints } from '../src/transport/resolveEndpoints.js'
import type { MarketDataMessage, OrderEventMessage, OrderUpdateMessage, VenueCommand } from '../src/transport/topics.js'
import { waitFor } from './deploymentVenue.js'

// The trader role alone on an in-process bus, its peers played by the test: a trading engine that refuses every
// create (ack ok: false), a position server, a quote server and the LP inventory. What the trader does with a refusal,
// an operator kill, and its journal.
const VENUE = 'binance-usdm'
const config: HedgerConfigInput = {
  venues: [
    {
      venue: VENUE,
      tickSize: '0.01',
      stepSize: '0.001',
      minNotionalQuote: 20,
      maxPositionBase: 2,
      maxOrderSizeBase: 1,
      staleAfterMs: 600_000,
      deadManTimeoutMs: 5_000,
      deadManRearmMs: 500,
    },
  ],
  calibration: {
    volatility: { halfLifeMs: 5_000, warmUpMs: 0, minIncrements: 1 },
    intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
  },
  hedge: { orderSizeBase: 0.1 },
  risk: { basisSampleMs: 50, maxBasisBps: 100, resumeBasisBps: 50, minCorrelation: -1 },
}
const dir = mkdtempSync(join(tmpdir(), 'alp-trader-'))
const clock = { nowNs: systemRunnerClock.nowNs, nowMs: () => Date.now() }
let bus: MessageBus
let journal: Journal
let trader: TraderHandle
let marketData: TopicPublisher<MarketDataMessage>
const received: VenueCommand[] = []
const emitted: HedgerCommand[] = []
const published: OrderUpdateMessage[] = []
const errors: unknown[] = []

beforeAll(async () => {
  bus = createInProcessBus()
  journal = new Journal(join(dir, 'journal.sqlite'))
  const endpoints = resolveEndpoints()
  // The trading engine: refuses every create; answers a cancel-all with an empty open-orders listing.
  const orderEvents: TopicPublisher<OrderEventMessage> = await bus.publisher('orderEvents')
  await bus.commandServer('venueCommands', (command) => {
    received.push(command)
    if (command.type === 'placeOrder') return { ok: false, detail: 'refused by the test engine' }
    if (command.type === 'cancelAll' || command.type === 'requestOpenOrders')
      orderEvents.publish({
        type: 'openOrders',
        tsNs: clock.nowNs(),
        venue: VENUE,
        requestedNs: command.tsNs,
        orders: [],
      })
    return { ok: true }
  })
  const positions = await bus.publisher('positions')
  positions.publish({ type: 'venueHealth', tsNs: clock.nowNs(), venue: VENUE, status: 'connected' })
  positions.publish({ type: 'position', tsNs: clock.nowNs(), venue: VENUE, sizeLots: 0 })
  marketData = await bus.publisher('marketData')
  const orderUpdates = await bus.subscriber('orderUpdates')
  orderUpdates.on('message', (message) => published.push(message))
  trader = await startTrader({
    bus,
    config,
    venues: [{ venue: VENUE, endpoints }],
    endpoints,
    journal,
    processName: 'trader',
    clock,
    onError: (error) => errors.push(error),
    timerIntervalMs: 50,
    onCommand: (command) => emitted.push(command),
  })
  // The LP's inventory (WETH/USDC, WETH = token0, at 2680) and a few best bid/offers around 2680.
  const inventory = await bus.publisher('inventory')
  const stream = new InventoryEventStream({
    source: 'uniswap-v3:31337:0xpool',
    decimals0: 18,
    decimals1: 6,
    baseToken: 'token0',
    targetBaseShare: 0.5,
  })
  stream.on('inventory', (update) => inventory.publish(update))
  stream.publish({
    tsMs: Date.now(),
    amount0Raw: 10n * 10n ** 18n,
    amount1Raw: 26_800n * 10n ** 6n,
    sqrtPriceX96: 4_101_566_175_183_946_571_816_489n, // ≈ 2680 USDC per WETH with 18/6 decimals
    prices: { token0: '2680', token1: '1' },
  })
}, 60_000)

afterAll(async () => {
  await trader?.stop()
  await bus?.close()
  journal?.close()
})

describe('trader role', () => {
  it('a create the engine refuses (ack ok: false) becomes commandFailed rejected: journaled, and the order is not counted', async () => {
    let mid = 268_000
    const placed = await waitFor(() => {
      mid += mid % 2 === 0 ? 1 : -1
      marketData.publish({
        type: 'bbo',
        tsNs: clock.nowNs(),
        venue: VENUE,
        bidPriceTicks: mid - 50,
        bidSizeLots: 1000,
        askPriceTicks: mid + 50,
        askSizeLots: 1000,
      })
      return received.find((command) => command.type === 'placeOrder')
    }, 'a placeOrder at the engine').catch((error: unknown) => {
      throw new Error(
        `${String(error)}; status ${trader.state.venues[0]?.status}; errors ${errors.map(String).join(' | ')}`,
      )
    })
    if (placed?.type !== 'placeOrder') throw new Error('unreachable')
    const refusal = await waitFor(
      () =>
        journal
          .steps(trader.runId)
          .map((step) => step.event)
          .find((event) => event.type === 'commandFailed' && event.clientOrderId === placed.clientOrderId),
      'the refusal journaled',
    )
    expect(refusal).toMatchObject({ venue: VENUE, command: 'placeOrder', outcome: 'rejected' })
    expect(trader.state.venues[0]?.orders.has(placed.clientOrderId)).toBe(false)
    // The trader's client order ids carry the journal's run id.
    expect(placed.clientOrderId).toContain(trader.runId)
    expect(errors.map((error) => (error as Error).message)).toContain(
      `${VENUE}: placeOrder refused: refused by the test engine`,
    )
  })

  it('an operator kill on traderControl halts every venue, publishes the halt on orderUpdates and cancels all', async () => {
    const control = await bus.commandClient('traderControl')
    const ack = await control.send({ type: 'operator', tsNs: clock.nowNs(), action: 'kill', reason: 'test' })
    expect(ack.ok).toBe(true)
    await waitFor(
      () => published.some((message) => message.type === 'halt' && message.reason === 'operatorKill'),
      'the halt on orderUpdates',
    )
    expect(emitted.some((command) => command.type === 'halt' && command.scope === 'all')).toBe(true)
    await waitFor(() => received.some((command) => command.type === 'cancelAll'), 'a cancel-all at the engine')
    const report = await trader.stopAndConfirm({ timeoutMs: 5_000 })
    expect(report.venues).toEqual([{ venue: VENUE, confirmed: true, openOrders: 0 }])
    expect(journal.runs().find((run) => run.runId === trader.runId)?.endedMs).not.toBeNull()
    expect(journal.replay(trader.runId).mismatches).toEqual([])
  })
})
