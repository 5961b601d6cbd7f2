import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BinanceConnectorConfig } from '../src/binance/config.js'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import { parseDecimal, toScaled } from '../src/common/decimal.js'
import { ConnectorError } from '../src/errors/base.js'
import { OrderNotPlacedError, OrderStatusUnknownError } from '../src/errors/order.js'
import { OrderNotFoundError, VenueUnavailableError } from '../src/errors/venue.js'
import { configFor, startEmulator, TAKER } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

// Money safety of the Binance order path, end to end against the @alp/venue-sim emulator (wall clock, ticking):
// unknown create outcomes after a wait in the client rate limiter (REST and WebSocket API), spot amend after a partial
// fill, the one-shot dead-man switch and lookupOrder.
let emu: RunningBinanceEmulator
const opened: BinanceConnector[] = []
let id = 0
const cid = (tag: string) => `s-${tag}-${++id}`
const MAKER_FUTURES = 'futures-0'
const MAKER_SPOT = 'spot-0'
/** Decimal strings compared exactly (8 decimals), whatever their printed scale. */
const e8 = (x: string) => toScaled(parseDecimal(x), 8)

async function connect(overrides: Partial<BinanceConnectorConfig> = {}): Promise<BinanceConnector> {
  const connector = await createBinanceConnector(configFor(emu, overrides), ['ETHUSDT'])
  opened.push(connector)
  return connector
}

beforeAll(async () => {
  emu = await startEmulator()
})
afterEach(() => {
  emu.emulator.faults.reset()
})
afterAll(async () => {
  for (const c of opened) await c.close()
  await emu?.close()
})

/** Blocks the connector's client rate limiter for `ms` (as a Retry-After would): the next request waits that long. */
function fillLimiter(connector: BinanceConnector, ms: number): void {
  connector.http.rateLimiter.onRateLimited(ms)
  expect(connector.http.rateLimiter.delayMs({ weight: 1, orders: 1 })).toBeGreaterThan(ms - 100)
}

/**
 * The outcome rule: while the venue holds the order live, the create must end with that order (or
 * OrderStatusUnknownError), never OrderNotPlacedError; and exactly one order exists under the client id.
 */
async function expectFoundNeverNotPlaced(outcome: unknown, accountId: string, symbol: string, clientOrderId: string) {
  const live = (await waitFor(
    () => emu.engine.getOrderByClientId(accountId, symbol, clientOrderId),
    'the venue executed the lagged create',
    5_000,
  ))!
  expect(live.status).toBe('NEW')
  expect(outcome).not.toBeInstanceOf(OrderNotPlacedError)
  if (!(outcome instanceof OrderStatusUnknownError)) {
    expect(outcome).toMatchObject({ clientOrderId, state: 'new', orderId: String(live.orderId) })
  }
  expect(emu.engine.listOpenOrders(accountId, symbol).filter((o) => o.clientOrderId === clientOrderId)).toHaveLength(1)
}

describe('unknown create outcome after a wait in the client rate limiter (item 5)', () => {
  it('REST: limiter wait 4 s, then a timeout while the venue executes it late → the order is found', async () => {
    // recvWindow 2000: the venue accepts the create until signed timestamp + 2 s, long after callStart + 2 s
    const c = await connect({ httpTimeoutMs: 300, recvWindowMs: 2_000 })
    const clientOrderId = cid('rest-to')
    fillLimiter(c, 4_000)
    // the POST reaches the engine 700 ms late (< recvWindow): the client times out first, its lookups overtake it
    emu.emulator.setFaults({ rest: { lagNext: 1, lagMs: 700 } })
    const callStartMs = Date.now()
    const outcome = await c.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2600.00',
        sizeBase: '0.010',
        timeInForce: 'gtc',
        clientOrderId,
      })
      .catch((e: unknown) => e)
    await expectFoundNeverNotPlaced(outcome, MAKER_FUTURES, 'ETHUSDT', clientOrderId)
    // the scenario really happened: the venue created it after the limiter wait plus the lag
    expect(emu.engine.getOrderByClientId(MAKER_FUTURES, 'ETHUSDT', clientOrderId)!.createdTsMs).toBeGreaterThanOrEqual(
      callStartMs + 4_000 + 600,
    )
  })

  it('REST: limiter wait 4 s, then 504/-1007 answered while the engine executes it later → the order is found', async () => {
    const c = await connect({ httpTimeoutMs: 2_000, recvWindowMs: 2_000 })
    const clientOrderId = cid('rest-5xx')
    fillLimiter(c, 4_000)
    emu.emulator.setFaults({
      rest: { lagNext: 1, lagMs: 700, http5xxNext: 1, http5xxMode: 'after', http5xxStatus: 504 },
    })
    const outcome = await c.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2601.00',
        sizeBase: '0.010',
        timeInForce: 'gtc',
        clientOrderId,
      })
      .catch((e: unknown) => e)
    await expectFoundNeverNotPlaced(outcome, MAKER_FUTURES, 'ETHUSDT', clientOrderId)
  })

  it('WebSocket API: limiter wait 4 s, then no answer while the venue executes it late → the order is found', async () => {
    const c = await connect({ orderEntry: 'wsApi', wsApiTimeoutMs: 300, recvWindowMs: 2_000 })
    const clientOrderId = cid('ws-to')
    fillLimiter(c, 4_000)
    emu.emulator.setFaults({ rest: { lagNext: 1, lagMs: 700 } })
    const outcome = await c.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2602.00',
        sizeBase: '0.010',
        timeInForce: 'gtc',
        clientOrderId,
      })
      .catch((e: unknown) => e)
    await expectFoundNeverNotPlaced(outcome, MAKER_FUTURES, 'ETHUSDT', clientOrderId)
  })
})

describe('unknown batch outcome after a wait in the client rate limiter', () => {
  it('batchOrders: limiter wait 4 s, then a timeout while the venue executes it late → every entry is found', async () => {
    const c = await connect({ httpTimeoutMs: 300, recvWindowMs: 2_000 })
    const ids = [cid('batch-a'), cid('batch-b')]
    fillLimiter(c, 4_000)
    emu.emulator.setFaults({ rest: { lagNext: 1, lagMs: 700 } })
    const results = await c.execution.placeOrders(
      ids.map((clientOrderId, i) => ({
        symbol: 'ETHUSDT',
        side: 'buy' as const,
        price: `260${5 + i}.00`,
        sizeBase: '0.010',
        timeInForce: 'gtc' as const,
        clientOrderId,
      })),
    )
    for (const [i, clientOrderId] of ids.entries())
      await expectFoundNeverNotPlaced(results[i], MAKER_FUTURES, 'ETHUSDT', clientOrderId)
  })
})

describe('lookupOrder', () => {
  it('returns the order when it exists, null only on -2013, and a typed error when the venue cannot answer', async () => {
    const c = await connect({ httpTimeoutMs: 300 })
    const clientOrderId = cid('look')
    const placed = await c.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2604.00',
      sizeBase: '0.010',
      timeInForce: 'gtc',
      clientOrderId,
    })
    expect(await c.execution.lookupOrder({ symbol: 'ETHUSDT', clientOrderId })).toMatchObject({
      orderId: placed.orderId,
      state: 'new',
    })
    expect(await c.execution.lookupOrder({ symbol: 'ETHUSDT', clientOrderId: cid('never-sent') })).toBeNull()
    // every attempt (1 + 2 retries) times out: a typed transport error, never "absent"
    emu.emulator.setFaults({ rest: { timeoutNext: 3, timeoutMode: 'before' } })
    const error = await c.execution.lookupOrder({ symbol: 'ETHUSDT', clientOrderId }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VenueUnavailableError)
  })
})

describe('spot amend = cancel + re-place of the remaining size (item 10)', () => {
  it('after a partial fill the replacement rests exactly sizeBase − filled; nothing when nothing is left', async () => {
    const maker = await connect({ product: 'spot', urls: spotUrls() })
    const taker = await connect({ product: 'spot', urls: spotUrls(), credentials: TAKER })
    const clientOrderId = cid('amend')
    await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2600.00',
      sizeBase: '0.0500',
      timeInForce: 'gtc',
      clientOrderId,
    })
    // the taker sells 0.0200 into it: 0.0200 of 0.0500 filled
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'sell',
      price: '2600.00',
      sizeBase: '0.0200',
      timeInForce: 'ioc',
      clientOrderId: cid('hit'),
    })
    expect(emu.engine.getOrderByClientId(MAKER_SPOT, 'spot:ETHUSDT', clientOrderId)?.status).toBe('PARTIALLY_FILLED')
    // total stays 0.0500 (filled part included); only the price moves
    const amended = await maker.execution.amendOrder({
      symbol: 'ETHUSDT',
      clientOrderId,
      side: 'buy',
      price: '2599.00',
      sizeBase: '0.0500',
    })
    // spot answers with 8 decimals: compare as decimals
    expect([e8(amended.price), e8(amended.sizeBase), amended.state]).toEqual([e8('2599'), e8('0.03'), 'new'])
    const resting = emu.engine
      .listOpenOrders(MAKER_SPOT, 'spot:ETHUSDT')
      .filter((o) => o.clientOrderId === clientOrderId)
    expect(resting).toHaveLength(1)
    // step 0.0001 → lots: 0.0300 = 300 lots
    expect(resting[0]!.origLots).toBe(300n)

    // a new total at or below what has filled (0.0200 of the first order; the replacement has no fill): the
    // replacement is cancelled and nothing is placed
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'sell',
      price: '2599.00',
      sizeBase: '0.0100',
      timeInForce: 'ioc',
      clientOrderId: cid('hit'),
    })
    const error = await maker.execution
      .amendOrder({ symbol: 'ETHUSDT', clientOrderId, side: 'buy', price: '2598.00', sizeBase: '0.0100' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrderNotFoundError)
    expect(
      emu.engine.listOpenOrders(MAKER_SPOT, 'spot:ETHUSDT').filter((o) => o.clientOrderId === clientOrderId),
    ).toHaveLength(0)

    // the order is already gone (fully filled): the cancel says -2011, nothing is placed
    const gone = cid('gone')
    await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2597.00',
      sizeBase: '0.0100',
      timeInForce: 'gtc',
      clientOrderId: gone,
    })
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'sell',
      price: '2597.00',
      sizeBase: '0.0100',
      timeInForce: 'ioc',
      clientOrderId: cid('hit'),
    })
    const goneError = await maker.execution
      .amendOrder({ symbol: 'ETHUSDT', clientOrderId: gone, side: 'buy', price: '2596.00', sizeBase: '0.0100' })
      .catch((e: unknown) => e)
    expect(goneError).toBeInstanceOf(OrderNotFoundError)
    expect(emu.engine.listOpenOrders(MAKER_SPOT, 'spot:ETHUSDT').filter((o) => o.clientOrderId === gone)).toHaveLength(
      0,
    )
  })
})

describe('spot amend whose replacement gets no answer', () => {
  it('reconciliation does not mistake the cancelled order (same client id) for the replacement', async () => {
    const maker = await connect({ product: 'spot', urls: spotUrls(), httpTimeoutMs: 300, recvWindowMs: 2_000 })
    const clientOrderId = cid('amend-lag')
    const original = await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2500.00',
      sizeBase: '0.0500',
      timeInForce: 'gtc',
      clientOrderId,
    })
    // the cancel goes through; the replacement create reaches the engine 700 ms late (after the client timed out)
    emu.emulator.setFaults({ rest: { lagNext: 1, lagMs: 700 } })
    const outcome = await maker.execution
      .amendOrder({ symbol: 'ETHUSDT', clientOrderId, side: 'buy', price: '2501.00', sizeBase: '0.0500' })
      .catch((e: unknown) => e)
    const live = emu.engine.listOpenOrders(MAKER_SPOT, 'spot:ETHUSDT').filter((o) => o.clientOrderId === clientOrderId)
    expect(live).toHaveLength(1)
    expect(String(live[0]!.orderId)).not.toBe(original.orderId)
    if (!(outcome instanceof OrderStatusUnknownError))
      expect(outcome).toMatchObject({ orderId: String(live[0]!.orderId), state: 'new' })
  })
})

function spotUrls() {
  return configFor(emu, { product: 'spot' }).urls
}

describe('dead-man switch driven by the caller (item 15)', () => {
  const openOrders = (c: BinanceConnector) => c.execution.getOpenOrders('ETHUSDT')

  it('armDeadManSwitch: after the last arm with T and no refresh the venue lists no open order after T, still before', async () => {
    const c = await connect({ credentials: TAKER })
    await c.execution.cancelAllOrders('ETHUSDT')
    for (const price of ['2590.00', '2591.00'])
      await c.execution.placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price,
        sizeBase: '0.010',
        timeInForce: 'gtc',
        clientOrderId: cid('dm'),
      })
    await c.execution.armDeadManSwitch('ETHUSDT', 60_000)
    // the last arm wins: 1500 ms from now, not 60 s
    const T = 1_500
    const armStartMs = emu.emulator.clock.nowMs()
    await c.execution.armDeadManSwitch('ETHUSDT', T)
    const armEndMs = emu.emulator.clock.nowMs()
    const observations: { atMs: number; open: number }[] = []
    for (;;) {
      const atMs = emu.emulator.clock.nowMs()
      const open = (await openOrders(c)).length
      observations.push({ atMs, open })
      if (open === 0 || atMs > armEndMs + T + 2_000) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const last = observations.at(-1)!
    expect(last.open).toBe(0)
    // still listed at every look sent before T (less 100 ms for the look's own trip to the venue)…
    const beforeT = observations.filter((o) => o.atMs < armStartMs + T - 100)
    expect(beforeT.length).toBeGreaterThan(3)
    for (const o of beforeT) expect(o.open).toBe(2)
    // …and gone from T on (the emulator checks countdowns every 10 ms; one polling period)
    expect(last.atMs).toBeGreaterThanOrEqual(armStartMs + T - 100)
    expect(last.atMs).toBeLessThanOrEqual(armEndMs + T + 200)
  })

  it('startDeadManSwitch takes the countdown from its caller', async () => {
    const c = await connect({ credentials: TAKER })
    const clientOrderId = cid('dm-start')
    await c.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2592.00',
      sizeBase: '0.010',
      timeInForce: 'gtc',
      clientOrderId,
    })
    const errors: Error[] = []
    await c.execution.startDeadManSwitch('ETHUSDT', (_s, e) => errors.push(e), { countdownMs: 1_000, refreshMs: 200 })
    await waitFor(() => c.execution.deadManRefreshCount >= 6, 'six refreshes (1.2 s > the 1 s countdown)')
    expect(emu.engine.getOrderByClientId('futures-1', 'ETHUSDT', clientOrderId)?.status).toBe('NEW')
    c.execution.abandonDeadManSwitch('ETHUSDT')
    // the caller's 1 s countdown (the config default is 120 s)
    await waitFor(
      () => emu.engine.getOrderByClientId('futures-1', 'ETHUSDT', clientOrderId)?.status === 'CANCELED',
      'the venue cancelled the order after the caller countdown',
      2_500,
    )
    expect(errors).toEqual([])
  })

  it('validates the timeout; spot throws UNSUPPORTED (no venue-side countdown)', async () => {
    const c = await connect({ credentials: TAKER })
    for (const bad of [0, 999, 1500.5, Number.NaN, 3_600_001]) {
      const error = await c.execution.armDeadManSwitch('ETHUSDT', bad).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConnectorError)
      expect((error as ConnectorError).code).toBe('INVALID_DEAD_MAN_TIMEOUT')
    }
    const spot = await connect({ product: 'spot', urls: spotUrls() })
    const error = await spot.execution.armDeadManSwitch('ETHUSDT', 10_000).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectorError)
    expect((error as ConnectorError).code).toBe('UNSUPPORTED')
  })
})
