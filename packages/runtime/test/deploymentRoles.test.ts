import type { BinanceConnector } from '@alp/exchange-connectors'
import { bindVenueConnector, type OrderUpdateEvent, parseHedgerConfig, systemRunnerClock } from '@alp/hedger'
import type { InventoryUpdate } from '@alp/uniswap-lp'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLpManagerRole } from '../src/roles/startLpManagerRole.js'
import { startPositionServer } from '../src/roles/startPositionServer.js'
import { startQuoteServer } from '../src/roles/startQuoteServer.js'
import { startTradingEngine } from '../src/roles/startTradingEngine.js'
import type { RoleHandle, VenueLink } from '../src/roles/VenueLink.js'
import type { MessageBus } from '../src/transport/bus.js'
import { createInProcessBus } from '../src/transport/createInProcessBus.js'
import { resolveEndpoints } from '../src/transport/resolveEndpoints.js'
import type { OrderEventMessage } from '../src/transport/topics.js'
import { HEDGER_KEYS, TAKER_KEYS } from './deploymentConfig.js'
import { connectBinance, startBinanceVenue, waitFor } from './deploymentVenue.js'

// The per-venue roles one at a time on an in-process bus, against the Binance USDⓈ-M emulator: what each puts on the
// bus and how the trading engine keeps a client order id to one order whatever the deliveries.
const VENUE = 'binance-usdm'
let emu: RunningBinanceEmulator
let hedger: BinanceConnector
let taker: BinanceConnector
let bus: MessageBus
let link: VenueLink
const roles: RoleHandle[] = []
const errors: unknown[] = []
const clock = { nowNs: systemRunnerClock.nowNs }
const onError = (error: unknown) => errors.push(error)

const ourOpenOrders = async () =>
  (await hedger.execution.getOpenOrders('ETHUSDT')).filter((order) => order.clientOrderId.startsWith('alp'))

beforeAll(async () => {
  emu = await startBinanceVenue(17)
  hedger = await connectBinance(emu, HEDGER_KEYS)
  taker = await connectBinance(emu, TAKER_KEYS)
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'sell',
    price: '2685.00',
    sizeBase: '5.000',
    timeInForce: 'gtc',
    clientOrderId: 'tk-ask',
  })
  const binding = bindVenueConnector({ kind: 'binance', venue: VENUE, symbol: 'ETHUSDT', connector: hedger }, onError)
  await binding.privateStream?.start()
  const config = parseHedgerConfig({ venues: [{ venue: VENUE, tickSize: '0.01', stepSize: '0.001' }] }).venues[0]
  if (config === undefined) throw new Error('no venue config')
  bus = createInProcessBus()
  link = { venue: VENUE, symbol: 'ETHUSDT', config, binding, endpoints: resolveEndpoints() }
}, 60_000)

afterAll(async () => {
  for (const role of roles.splice(0).reverse()) await role.stop()
  await bus?.close()
  await hedger?.close()
  await taker?.close()
  await emu?.close()
})

describe('the per-venue roles on the bus', () => {
  it('trading-engine: one order per client order id whatever the deliveries; the venue’s answers on orderEvents', async () => {
    roles.push(await startTradingEngine({ bus, link, clock, onError }))
    const events: OrderEventMessage[] = []
    const orderEvents = await bus.subscriber('orderEvents')
    orderEvents.on('message', (message) => events.push(message))
    // The venue's open orders at start: none of ours.
    await orderEvents.until((s) => s.phase === 'live', 5_000)
    const client = await bus.commandClient('venueCommands')
    const place = {
      type: 'placeOrder',
      tsNs: clock.nowNs(),
      venue: VENUE,
      clientOrderId: 'alp-roles-1',
      side: 'buy',
      price: '2600.00',
      sizeBase: '0.100',
      priceTicks: 260_000,
      sizeLots: 100,
      postOnly: true,
    } as const
    // The same command twice at once (a retry crossing its ack) and once more later: executed once.
    const [first, second] = await Promise.all([client.send(place), client.send(place)])
    const third = await client.send({ ...place, tsNs: clock.nowNs() })
    expect([first.ok, second.ok, third.ok]).toEqual([true, true, true])
    expect(new Set([first.commandId, second.commandId, third.commandId])).toEqual(
      new Set([`${VENUE}/placeOrder/alp-roles-1`]),
    )
    // Even under another command id the venue refuses a second order with the same client id: the refusal is on
    // orderEvents as a definite one, and the venue still has one order.
    const other = await client.send(place, { commandId: 'another-id' })
    expect(other.ok).toBe(true)
    await waitFor(
      () => events.some((e) => e.type === 'commandFailed' && e.clientOrderId === 'alp-roles-1'),
      'the refusal of the second create',
    )
    const refusal = events.find((e) => e.type === 'commandFailed')
    expect(refusal).toMatchObject({ command: 'placeOrder', outcome: 'rejected', venue: VENUE })
    const open = await ourOpenOrders()
    expect(open.map((order) => [order.clientOrderId, order.price, order.sizeBase, order.timeInForce])).toEqual([
      ['alp-roles-1', '2600.00', '0.100', 'postOnly'],
    ])
    const placed = events.find((e): e is OrderUpdateEvent => e.type === 'orderUpdate' && e.status === 'new')
    expect(placed).toMatchObject({ clientOrderId: 'alp-roles-1', priceTicks: 260_000, sizeLots: 100, side: 'buy' })
    // State topic: the open order is in the engine's state, as a late joiner's snapshot shows.
    const late = await bus.subscriber('orderEvents')
    await late.until((s) => s.phase === 'live' && s.state.has(`order/${VENUE}/alp-roles-1`), 5_000)
    // A cancel: the order leaves the state; a lookup of an unknown id answers orderAbsent.
    const cancel = await client.send({
      type: 'cancelOrder',
      tsNs: clock.nowNs(),
      venue: VENUE,
      clientOrderId: 'alp-roles-1',
    })
    expect(cancel.ok).toBe(true)
    await late.until((s) => !s.state.has(`order/${VENUE}/alp-roles-1`), 5_000)
    await client.send({ type: 'lookupOrder', tsNs: clock.nowNs(), venue: VENUE, clientOrderId: 'alp-never-sent' })
    await waitFor(
      () => events.some((e) => e.type === 'orderAbsent' && e.clientOrderId === 'alp-never-sent'),
      'orderAbsent',
    )
    expect(await ourOpenOrders()).toEqual([])
    // A command for another venue is not this engine's: a definite ok: false.
    const wrong = await client.send({ type: 'requestOpenOrders', tsNs: clock.nowNs(), venue: 'grvt' })
    expect(wrong).toMatchObject({ ok: false, detail: `this trading engine serves ${VENUE}` })
    // Reported besides (never swallowed): the venue's refusal of the duplicate client order id, and nothing else.
    expect(errors.map((error) => (error as { venueCode?: number }).venueCode)).toEqual([-4116])
    errors.length = 0
  })

  it('position-server: the venue’s position and health on a state topic (a late joiner gets both)', async () => {
    // A fill makes a position: our post-only bid lifted by the taker's sell.
    await hedger.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2600.00',
      sizeBase: '0.200',
      timeInForce: 'postOnly',
      clientOrderId: 'alp-roles-2',
    })
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'sell',
      price: '2600.00',
      sizeBase: '0.200',
      timeInForce: 'ioc',
      clientOrderId: 'tk-hit',
    })
    roles.push(await startPositionServer({ bus, link, clock, onError, pollIntervalMs: 0 }))
    const late = await bus.subscriber('positions')
    await late.until(
      (s) => s.phase === 'live' && s.state.has(`position/${VENUE}`) && s.state.has(`health/${VENUE}`),
      5_000,
    )
    expect(late.state.get(`position/${VENUE}`)).toMatchObject({ type: 'position', venue: VENUE, sizeLots: 200 })
    expect(late.state.get(`health/${VENUE}`)).toMatchObject({ type: 'venueHealth', status: 'connected' })
  })

  it('quote-server: the venue’s book and best bid/offer on the venue grid', async () => {
    const marketData = await bus.subscriber('marketData')
    const seen: string[] = []
    let askTicks: number | undefined
    marketData.on('message', (message) => {
      seen.push(message.type)
      if (message.type === 'bbo') askTicks = message.askPriceTicks
    })
    roles.push(await startQuoteServer({ bus, link, clock, onError }))
    await waitFor(async () => {
      await taker.execution.placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2500.00',
        sizeBase: '0.010',
        timeInForce: 'gtc',
        clientOrderId: `poke-${Date.now()}`,
      })
      return seen.includes('bbo') && seen.includes('book')
    }, 'book and bbo on marketData')
    expect(askTicks).toBe(268_500)
    expect(errors).toEqual([])
  })

  it('lp-manager: inventory to the bus, suggestRange to the manager, lpControl kill and resume', async () => {
    const calls: string[] = []
    // Listeners by event: the role also listens to 'executed' (the LP actions it publishes).
    const listeners = new Map<string, (payload: never) => void>()
    const manager = {
      on: (event: 'inventory', l: (update: InventoryUpdate) => void) => {
        listeners.set(event, l)
      },
      off: (event: 'inventory') => {
        listeners.delete(event)
      },
      setRangeHalfWidthBps: (bps: number) => calls.push(`range ${bps}`),
      run: () => calls.push('run'),
      stop: () => {
        calls.push('stop')
      },
    }
    const role = await startLpManagerRole({ bus, manager, endpoints: resolveEndpoints(), onError })
    roles.push(role)
    const update = {
      type: 'lp.inventory',
      source: 'uniswap-v3:31337:0xpool',
      seq: 1,
      tsMs: 1_700_000_000_000,
    } as unknown as InventoryUpdate
    listeners.get('inventory')?.(update as never)
    const inventory = await bus.subscriber('inventory')
    await inventory.until((s) => s.phase === 'live' && s.state.has('lp.inventory/uniswap-v3:31337:0xpool'), 5_000)
    const orderUpdates = await bus.publisher('orderUpdates', { publisher: 'test-trader' })
    orderUpdates.publish({
      type: 'suggestRange',
      tsNs: clock.nowNs(),
      halfWidthBps: 180,
      sigmaLogPerSqrtSec: 0.0004,
      rebalanceThreshold: 0.1,
    })
    await waitFor(() => calls.includes('range 180'), 'the range hint applied')
    const control = await bus.commandClient('lpControl')
    await control.send({ type: 'operator', tsNs: 1n, action: 'kill', reason: 'test' })
    expect(role.killed).toBe(true)
    await control.send({ type: 'operator', tsNs: 2n, action: 'resume', reason: 'test' })
    expect(role.killed).toBe(false)
    expect(calls).toEqual(['run', 'range 180', 'stop', 'run'])
    await orderUpdates.close()
  })
})
