import type {
  CommandFailedEvent,
  FillEvent,
  HaltCommand,
  LpInventoryEvent,
  OpenOrdersEvent,
  OperatorEvent,
  OrderAbsentEvent,
  OrderUpdateEvent,
  SuggestRangeCommand,
} from '@alp/hedger'
import type { InventoryUpdate } from '@alp/uniswap-lp'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createZmqBus,
  freeLoopbackEndpoints,
  type InventoryMessage,
  type MarketDataMessage,
  type MessageBus,
  type OrderEventMessage,
  type OrderUpdateMessage,
  type PositionMessage,
  type VenueCommand,
} from '../src/index.js'

// Past Number.MAX_SAFE_INTEGER and past 2^63: a float anywhere on the way would change them.
const T = 9_223_372_036_854_775_907n
const R = 1_704_412_800_123_456_789n

const marketData: MarketDataMessage[] = [
  {
    type: 'bbo',
    tsNs: T,
    venue: 'binance',
    bidPriceTicks: 226_512,
    bidSizeLots: 3,
    askPriceTicks: 226_513,
    askSizeLots: 9,
  },
  {
    type: 'book',
    tsNs: T + 1n,
    venue: 'deribit',
    bids: [
      [4_530_250, 10],
      [4_530_200, 250],
    ],
    asks: [[4_530_300, 7]],
  },
  { type: 'trade', tsNs: -1n, venue: 'grvt', priceTicks: 2265, sizeLots: 1, aggressorSide: 'sell' },
]
const fill: FillEvent = {
  type: 'fill',
  tsNs: T + 2n,
  venue: 'binance',
  clientOrderId: 'alp-7f3a-000123',
  tradeId: '982734987234',
  side: 'buy',
  priceTicks: 226_500,
  sizeLots: 4,
  feeQuote: '-0.000906',
  venueTimeMs: 1_704_412_800_123,
}
const update: OrderUpdateEvent = {
  type: 'orderUpdate',
  tsNs: T + 3n,
  venue: 'binance',
  clientOrderId: 'alp-7f3a-000124',
  side: 'sell',
  priceTicks: 226_600,
  sizeLots: 12,
  filledLots: 5,
  status: 'partiallyFilled',
  snapshot: true,
  venueTimeMs: 1_704_412_800_200,
}
const failed: CommandFailedEvent = {
  type: 'commandFailed',
  tsNs: T + 4n,
  venue: 'deribit',
  command: 'amendOrder',
  clientOrderId: 'x',
  outcome: 'unknown',
}
const absent: OrderAbsentEvent = {
  type: 'orderAbsent',
  tsNs: T + 5n,
  venue: 'grvt',
  clientOrderId: 'y',
  requestedNs: R,
}
const listing: OpenOrdersEvent = {
  type: 'openOrders',
  tsNs: T + 6n,
  venue: 'grvt',
  requestedNs: R,
  orders: [{ clientOrderId: 'z', side: 'buy', priceTicks: 1, sizeLots: 2, filledLots: 0, venueTimeMs: 5 }],
}
const orderEvents: OrderEventMessage[] = [fill, update, failed, absent, listing]
const positions: PositionMessage[] = [
  { type: 'position', tsNs: T + 7n, venue: 'binance', sizeLots: -42, venueTimeMs: 1_704_412_800_999 },
  { type: 'balance', tsNs: T + 8n, venue: 'binance', asset: 'USDT', available: '12345.678901234567890123' },
  { type: 'venueHealth', tsNs: T + 9n, venue: 'deribit', status: 'feedGap' },
]
const halt: HaltCommand = { type: 'halt', tsNs: T + 10n, scope: 'all', reason: 'operatorKill' }
const range: SuggestRangeCommand = {
  type: 'suggestRange',
  tsNs: T + 11n,
  halfWidthBps: 137.5,
  sigmaLogPerSqrtSec: 0.000_123_456_789,
  rebalanceThreshold: 0.1,
}
const orderUpdates: OrderUpdateMessage[] = [
  halt,
  range,
  { type: 'resume', tsNs: T + 12n, scope: 'binance' },
  { type: 'log', tsNs: T + 13n, level: 'warn', code: 'FEED_GAP', message: 'binance: gap "x" → rebuilt' },
  { type: 'metric', tsNs: T + 14n, name: 'exposure_base', value: -0.125 },
]
const inventoryUpdate: InventoryUpdate = {
  type: 'lp.inventory',
  version: 1,
  source: 'uniswap-v3:1:0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640',
  seq: 17,
  tsMs: 1_704_412_800_000,
  token0: { decimals: 6, amountRaw: '2500000000', amount: '2500' },
  token1: { decimals: 18, amountRaw: '1000000000000000001', amount: '1.000000000000000001' },
  baseToken: 'token1',
  sqrtPriceX96: '1461446703485210103287273052203988822378723970341',
  valueUsd: '4765.123456',
  usdPrice0: '1',
  usdPrice1: '2265.12',
  baseShare: 0.475,
  targetBaseShare: 0.5,
  deviation: -0.025,
  excessBase: '-0.05',
}
const lpInventory: LpInventoryEvent = {
  type: 'lpInventory',
  tsNs: T + 15n,
  baseHeldBase: '1.000000000000000001',
  baseTargetBase: '1.05',
  poolPrice: '2265.123456789012345678',
}
const inventory: InventoryMessage[] = [inventoryUpdate, lpInventory]
const commands: VenueCommand[] = [
  {
    type: 'placeOrder',
    tsNs: T + 16n,
    venue: 'binance',
    clientOrderId: 'alp-1',
    side: 'buy',
    priceTicks: 226_500,
    sizeLots: 3,
    price: '2265.00',
    sizeBase: '0.003',
    postOnly: true,
  },
  {
    type: 'amendOrder',
    tsNs: T + 17n,
    venue: 'binance',
    clientOrderId: 'alp-1',
    side: 'buy',
    priceTicks: 226_400,
    sizeLots: 2,
    price: '2264.00',
    sizeBase: '0.002',
  },
  { type: 'cancelOrder', tsNs: T + 18n, venue: 'deribit', clientOrderId: 'alp-2' },
  { type: 'cancelAll', tsNs: T + 19n, venue: 'grvt', reason: 'staleMarketData' },
  { type: 'armDeadManSwitch', tsNs: T + 20n, venue: 'binance', timeoutMs: 60_000 },
  { type: 'requestOpenOrders', tsNs: T + 21n, venue: 'deribit' },
  { type: 'lookupOrder', tsNs: T + 22n, venue: 'grvt', clientOrderId: 'alp-3' },
]

describe('ZeroMQ bus: @alp/hedger and @alp/uniswap-lp messages cross unchanged', () => {
  let a: MessageBus | undefined
  let b: MessageBus | undefined
  afterEach(async () => {
    await a?.close()
    await b?.close()
  })

  it('every topic message and every command round-trips exactly (bigints past 2^63 included)', async () => {
    const endpoints = await freeLoopbackEndpoints()
    a = createZmqBus({ endpoints })
    b = createZmqBus({ endpoints })
    const cases = [
      ['marketData', marketData],
      ['orderEvents', orderEvents],
      ['positions', positions],
      ['orderUpdates', orderUpdates],
      ['inventory', inventory],
    ] as const
    for (const [topic, sent] of cases) {
      const pub = await a.publisher(topic, { heartbeatMs: 20 })
      const sub = await b.subscriber(topic)
      const got: unknown[] = []
      sub.on('message', (m: unknown) => got.push(m))
      // Wait until something (a heartbeat) came over the wire, so the subscription is surely up before publishing: a
      // state topic is live as soon as its snapshot arrives, which can be before the SUB socket has joined (the
      // messages would then be missed and recovered as a snapshot, not delivered one by one).
      await sub.until((s) => s.phase === 'live' && s.stats.envelopes > 0, 5000)
      for (const m of sent) (pub.publish as (m: unknown) => void)(m)
      await sub.until((s) => s.lastSeq === sent.length, 5000)
      expect(got).toStrictEqual(sent)
    }

    const received: VenueCommand[] = []
    await a.commandServer('venueCommands', (command) => {
      received.push(command)
      return { ok: true }
    })
    const client = await b.commandClient('venueCommands')
    for (const command of commands) expect((await client.send(command)).ok).toBe(true)
    expect(received).toStrictEqual(commands)

    const operator: OperatorEvent[] = []
    await a.commandServer('traderControl', (command) => {
      operator.push(command)
      return { ok: true }
    })
    const kill: OperatorEvent = { type: 'operator', tsNs: T + 23n, action: 'kill', reason: 'alp kill' }
    await (await b.commandClient('traderControl')).send(kill)
    expect(operator).toStrictEqual([kill])
  })

  it('a snapshot carries the state exactly: open orders, positions, halts and inventory', async () => {
    const endpoints = await freeLoopbackEndpoints()
    a = createZmqBus({ endpoints })
    b = createZmqBus({ endpoints })
    const pubs = {
      orderEvents: await a.publisher('orderEvents'),
      positions: await a.publisher('positions'),
      orderUpdates: await a.publisher('orderUpdates'),
      inventory: await a.publisher('inventory'),
    }
    for (const m of orderEvents) pubs.orderEvents.publish(m)
    for (const m of positions) pubs.positions.publish(m)
    for (const m of orderUpdates) pubs.orderUpdates.publish(m)
    for (const m of inventory) pubs.inventory.publish(m)
    // Late joiners: everything comes from the snapshots.
    const subs = {
      orderEvents: await b.subscriber('orderEvents'),
      positions: await b.subscriber('positions'),
      orderUpdates: await b.subscriber('orderUpdates'),
      inventory: await b.subscriber('inventory'),
    }
    for (const sub of Object.values(subs)) await sub.until((s) => s.phase === 'live' && s.stats.snapshots === 1)
    // Expected state, written out: the listing replaced grvt's open orders; binance's partial fill stays open.
    expect(new Map(subs.orderEvents.state)).toStrictEqual(
      new Map<string, unknown>([
        ['order/binance/alp-7f3a-000124', update],
        [
          'order/grvt/z',
          {
            type: 'orderUpdate',
            tsNs: T + 6n,
            venue: 'grvt',
            clientOrderId: 'z',
            side: 'buy',
            priceTicks: 1,
            sizeLots: 2,
            filledLots: 0,
            status: 'new',
            snapshot: true,
            venueTimeMs: 5,
          },
        ],
      ]),
    )
    expect([...subs.positions.state.values()]).toStrictEqual(positions)
    expect(new Map(subs.orderUpdates.state)).toStrictEqual(
      new Map<string, unknown>([
        ['halt/all', halt],
        ['suggestRange', range],
      ]),
    )
    expect([...subs.inventory.state.values()]).toStrictEqual(inventory)
  })
})
