import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import type { ReconciliationSnapshot } from '../src/common/privateStream.js'
import type { Fill } from '../src/common/types/account.js'
import type { ConnectionHealthEvent } from '../src/common/types/health.js'
import type { Bbo, Trade } from '../src/common/types/marketData.js'
import type { Order } from '../src/common/types/order.js'
import { createDeribitConnector, type DeribitConnector } from '../src/deribit/createDeribitConnector.js'
import { DeribitExecutionClient } from '../src/deribit/execution.js'
import { DeribitRpcClient } from '../src/deribit/ws/client.js'
import { ConnectorError } from '../src/errors/base.js'
import { DeribitNotConnectedError } from '../src/errors/deribit.js'
import { OrderStatusUnknownError } from '../src/errors/order.js'
import { MalformedFrameError } from '../src/errors/transport.js'
import { waitFor } from './src/waitFor.js'

// Money safety of the Deribit order path, end to end on the venue-sim emulator: a dropped trading connection is visible
// on the user-data stream (health, then a reconciliation), requests sent while it is down fail at once with a definite
// error, an answer-less create is settled by a label lookup after the reconnect and never sent twice, and hostile frames
// on every channel are counted drops, never crashes.
const INSTRUMENT = 'BTC_USDC-PERPETUAL'
const MAKER = { clientId: 'maker', clientSecret: 'maker-secret' }
const TAKER = { clientId: 'taker', clientSecret: 'taker-secret' }
let emu: RunningDeribitEmulator
let nonce = 0
const closers: Array<() => unknown> = []

async function connector(credentials = MAKER): Promise<DeribitConnector> {
  const c = await createDeribitConnector({
    wsUrl: emu.wsUrl,
    credentials,
    clock: systemClock,
    random: () => 0.5,
    nonce: () => `s${++nonce}`,
    requestTimeoutMs: 3_000,
  })
  closers.push(() => c.close())
  return c
}

/** A separate authenticated connection (cancel-on-disconnect off) to read the venue's view. */
async function watcher(credentials = MAKER): Promise<DeribitRpcClient> {
  const client = new DeribitRpcClient({
    url: emu.wsUrl,
    clock: systemClock,
    random: () => 0.5,
    credentials,
    nonce: () => `w${++nonce}`,
    requestTimeoutMs: 3_000,
  })
  closers.push(() => client.close())
  await client.start()
  return client
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: INSTRUMENT, tickSize: '0.5', stepSize: '0.001' }],
    accounts: [
      { ...MAKER, balances: { USDC: '100000' } },
      { ...TAKER, balances: { USDC: '100000' } },
    ],
    market: { kind: 'none' },
    // many connections of one account across these tests: the venue's credit bucket is not what is tested here
    credits: { poolCredits: 10_000_000, refillCreditsPerSec: 10_000_000 },
  })
})

afterAll(async () => {
  for (const close of closers) await close()
  await emu.close()
})

type Recorded = { kind: string; event?: ConnectionHealthEvent; snapshot?: ReconciliationSnapshot }

describe('Deribit trading connection drop', () => {
  it('user data emits health close → reconnecting → open, then reconciled with the venue orders and positions; an amend or create sent while down fails at once', async () => {
    const c = await connector()
    const exec = c.execution as DeribitExecutionClient
    const user = c.userData as NonNullable<DeribitConnector['userData']>
    const events: Recorded[] = []
    user.on('health', (event) => events.push({ kind: `health:${event.kind}`, event }))
    user.on('reconciled', (snapshot) => events.push({ kind: 'reconciled', snapshot }))
    await user.subscribe([INSTRUMENT], ['USDC'])

    // a position of −0.003 (the taker lifts our ask) and one resting bid, cancelled by cancel-on-disconnect later
    await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'sell',
      price: '61000',
      sizeBase: '0.003',
      timeInForce: 'postOnly',
      clientOrderId: 'drop-ask',
    })
    const taker = new DeribitExecutionClient(await watcher(TAKER))
    await taker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '61000',
      sizeBase: '0.003',
      timeInForce: 'ioc',
      clientOrderId: 'drop-lift',
    })
    await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '50000',
      sizeBase: '0.01',
      timeInForce: 'postOnly',
      clientOrderId: 'drop-bid',
    })

    // while the socket is down (the first close), an amend and a create fail at once, with a definite error
    let amendWhileDown: Promise<unknown> | undefined
    let createWhileDown: Promise<unknown> | undefined
    let settledBeforeOpen = false
    user.on('health', (event) => {
      if (event.kind !== 'close' || amendWhileDown) return
      amendWhileDown = exec
        .amendOrder({ symbol: INSTRUMENT, clientOrderId: 'drop-bid', side: 'buy', price: '50000.5', sizeBase: '0.01' })
        .catch((error: unknown) => error)
      createWhileDown = exec
        .placeOrder({
          symbol: INSTRUMENT,
          side: 'buy',
          price: '49000',
          sizeBase: '0.01',
          timeInForce: 'postOnly',
          clientOrderId: 'drop-new',
        })
        .catch((error: unknown) => error)
      void Promise.all([amendWhileDown, createWhileDown]).then(() => {
        settledBeforeOpen = !events.some((e, i) => i > dropAt && e.kind === 'health:open')
      })
    })

    const dropAt = events.length
    expect(emu.emulator.disconnectClient(MAKER.clientId)).toBeGreaterThanOrEqual(1)
    await waitFor(() => events.slice(dropAt).some((e) => e.kind === 'reconciled'), 'reconciled after the reconnect')

    const after = events.slice(dropAt).map((e) => e.kind)
    // exact order: close, then one or more reconnecting (errors between attempts allowed), open, reconciled
    expect(after[0]).toBe('health:close')
    expect(after[1]).toBe('health:reconnecting')
    const openAt = after.indexOf('health:open')
    expect(openAt).toBeGreaterThan(1)
    expect(after.slice(2, openAt).every((k) => k === 'health:reconnecting' || k === 'health:error')).toBe(true)
    expect(after.indexOf('reconciled')).toBe(openAt + 1)
    expect(events[dropAt]?.event?.connection).toBe('deribit/trading')

    // the snapshot is the venue's truth: cancel-on-disconnect removed drop-bid; the position is the −0.003 fill
    const snapshot = events.slice(dropAt).find((e) => e.kind === 'reconciled')?.snapshot as ReconciliationSnapshot
    expect(snapshot.openOrders.map((o) => o.clientOrderId)).not.toContain('drop-bid')
    const venueOpen = (await (
      await watcher()
    ).request('private/get_open_orders_by_instrument', {
      instrument_name: INSTRUMENT,
    })) as Array<{ label: string }>
    expect(snapshot.openOrders.map((o) => o.clientOrderId).sort()).toEqual(venueOpen.map((o) => o.label).sort())
    expect(snapshot.positions.find((p) => p.symbol === INSTRUMENT)?.sizeBase).toBe('-0.003')

    // both requests failed before the reconnect with a definite, typed "not sent" error
    const amendError = await amendWhileDown
    const createError = await createWhileDown
    expect(settledBeforeOpen).toBe(true)
    for (const error of [amendError, createError]) {
      expect(error).toBeInstanceOf(DeribitNotConnectedError)
      expect(error).toMatchObject({ code: 'CONNECTION_CLOSED', retryable: true, connection: 'deribit/trading' })
    }
    // the create never reached the venue
    expect(await exec.lookupOrder({ symbol: INSTRUMENT, clientOrderId: 'drop-new' })).toBeNull()
    // and the order cancelled by the venue is reported as such by the lookup
    expect(await exec.lookupOrder({ symbol: INSTRUMENT, clientOrderId: 'drop-bid' })).toMatchObject({
      clientOrderId: 'drop-bid',
      state: 'canceled',
      price: '50000',
    })
  })

  it('a create in flight when the trading socket drops is settled by a label lookup after the reconnect, never re-sent', async () => {
    const c = await connector()
    const exec = c.execution as DeribitExecutionClient
    const reader = await watcher()
    const accountId = emu.emulator.accountIdOf(MAKER.clientId)
    // the venue executes the buy but never answers; the socket drops while the client waits for the answer
    emu.emulator.swallowNextPrivateResponses = 1
    const placing = exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '48000',
      sizeBase: '0.01',
      timeInForce: 'postOnly',
      clientOrderId: 'inflight-1',
    })
    await waitFor(
      () => emu.engine.listOpenOrders(accountId, INSTRUMENT).some((o) => o.clientOrderId.startsWith('inflight-1#')),
      'the buy reached the engine',
    )
    emu.emulator.disconnectClient(MAKER.clientId)
    const order = await placing
    // cancel-on-disconnect cancelled it on the venue: the lookup reports that final state
    expect(order).toMatchObject({ clientOrderId: 'inflight-1', state: 'canceled', price: '48000', sizeBase: '0.01' })
    const byLabel = (await (
      await watcher()
    ).request('private/get_order_state_by_label', {
      currency: 'USDC',
      label: 'inflight-1',
    })) as unknown[]
    expect(byLabel).toHaveLength(1)
    void reader
  })

  it('lookupOrder: open, final and unknown labels; a lookup while the socket is down is a typed error', async () => {
    const c = await connector()
    const exec = c.execution as DeribitExecutionClient
    await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '47000',
      sizeBase: '0.02',
      timeInForce: 'postOnly',
      clientOrderId: 'look-1',
    })
    expect(await exec.lookupOrder({ symbol: INSTRUMENT, clientOrderId: 'look-1' })).toMatchObject({
      clientOrderId: 'look-1',
      state: 'new',
      price: '47000',
      sizeBase: '0.02',
      side: 'buy',
    })
    await exec.cancelOrder({ symbol: INSTRUMENT, clientOrderId: 'look-1' })
    expect(await exec.lookupOrder({ symbol: INSTRUMENT, clientOrderId: 'look-1' })).toMatchObject({
      state: 'canceled',
    })
    expect(await exec.lookupOrder({ symbol: INSTRUMENT, clientOrderId: 'never-sent' })).toBeNull()
    const user = c.userData as NonNullable<DeribitConnector['userData']>
    let lookupWhileDown: Promise<unknown> | undefined
    user.on('health', (event) => {
      if (event.kind === 'close' && !lookupWhileDown)
        lookupWhileDown = exec.lookupOrder({ symbol: INSTRUMENT, clientOrderId: 'look-1' }).catch((e: unknown) => e)
    })
    emu.emulator.disconnectClient(MAKER.clientId)
    await waitFor(() => lookupWhileDown, 'a close event')
    expect(await lookupWhileDown).toBeInstanceOf(DeribitNotConnectedError)
  })
})

describe('Deribit hostile frames on every channel', () => {
  it('non-finite numbers, bad enums and wrong types on ticker/trades/user.trades/user.orders are counted drops, never crashes', async () => {
    const c = await connector()
    const md = c.marketData
    const user = c.userData as NonNullable<DeribitConnector['userData']>
    const mdMalformed: MalformedFrameError[] = []
    const userMalformed: MalformedFrameError[] = []
    const bbos: Bbo[] = []
    const trades: Trade[] = []
    const fills: Fill[] = []
    const orders: Order[] = []
    md.on('malformed', (e) => mdMalformed.push(e))
    md.on('bbo', (b) => bbos.push(b))
    md.on('trade', (t) => trades.push(t))
    user.on('malformed', (e) => userMalformed.push(e))
    user.on('fill', (f) => fills.push(f))
    user.on('order', (o) => orders.push(o))
    await md.subscribeBbo(INSTRUMENT)
    await md.subscribeTrades(INSTRUMENT)
    await user.subscribe([INSTRUMENT], ['USDC'])

    const ticker = `ticker.${INSTRUMENT}.100ms`
    const tradesChannel = `trades.${INSTRUMENT}.100ms`
    const userTrades = `user.trades.${INSTRUMENT}.raw`
    const userOrders = `user.orders.${INSTRUMENT}.raw`
    const goodTicker = `{"instrument_name":"${INSTRUMENT}","timestamp":1700000000000,"best_bid_price":60000,"best_bid_amount":0.5,"best_ask_price":60000.5,"best_ask_amount":0.25}`
    const trade = (fields: string) =>
      `[{"trade_id":"t1","instrument_name":"${INSTRUMENT}","timestamp":1700000000000,"price":60000,"amount":0.01,"direction":"buy"${fields}}]`
    const userTrade = (fields: string) =>
      `[{"trade_id":"u1","order_id":"1","label":"x","instrument_name":"${INSTRUMENT}","direction":"sell","price":60000,"amount":0.01,"fee":0,"fee_currency":"USDC","liquidity":"M","timestamp":1700000000000${fields}}]`
    const userOrder = (fields: string) =>
      `{"order_id":"1","label":"x","instrument_name":"${INSTRUMENT}","direction":"buy","order_state":"open","order_type":"limit","time_in_force":"good_til_cancelled","post_only":true,"reduce_only":false,"price":60000,"amount":0.01,"filled_amount":0,"average_price":0,"last_update_timestamp":1700000000000${fields}}`

    const hostile: Array<[channel: string, data: string, to: 'md' | 'user']> = [
      [ticker, goodTicker.replace('"best_bid_price":60000', '"best_bid_price":1e999'), 'md'],
      [ticker, goodTicker.replace('"best_ask_amount":0.25', '"best_ask_amount":-1e999'), 'md'],
      [ticker, goodTicker.replace('"timestamp":1700000000000', '"timestamp":"now"'), 'md'],
      [tradesChannel, trade(',"price":1e999'), 'md'],
      [tradesChannel, trade(',"direction":"BUY"'), 'md'],
      [tradesChannel, trade(',"amount":"0.01"'), 'md'],
      [userTrades, userTrade(',"amount":1e999'), 'user'],
      [userTrades, userTrade(',"direction":"BUY"'), 'user'],
      [userTrades, userTrade(',"fee":-1e999'), 'user'],
      [userTrades, userTrade(',"liquidity":"X"'), 'user'],
      [userOrders, userOrder(',"direction":"BUY"'), 'user'],
      [userOrders, userOrder(',"price":1e999'), 'user'],
      [userOrders, userOrder(',"average_price":1e999'), 'user'],
      [userOrders, userOrder(',"order_type":"iceberg"'), 'user'],
      [userOrders, userOrder(',"time_in_force":"forever"'), 'user'],
      [userOrders, userOrder(',"filled_amount":0.02'), 'user'],
    ]
    for (const [channel, data, to] of hostile) {
      const mdBefore = mdMalformed.length
      const userBefore = userMalformed.length
      expect(emu.emulator.injectNotification(channel, data)).toBeGreaterThanOrEqual(1)
      if (to === 'md') await waitFor(() => mdMalformed.length > mdBefore, `malformed on market data: ${data}`)
      else await waitFor(() => userMalformed.length > userBefore, `malformed on user data: ${data}`)
    }
    expect(mdMalformed.length).toBe(6)
    expect(userMalformed.length).toBe(10)
    for (const error of [...mdMalformed, ...userMalformed]) {
      expect(error).toBeInstanceOf(MalformedFrameError)
      expect(error).toBeInstanceOf(ConnectorError)
    }
    expect(md.metrics().malformedFrames).toBe(6)
    expect(user.metrics().malformedFrames).toBe(10)
    // nothing of the hostile frames came through; a "BUY" never became a sell
    expect(bbos).toHaveLength(0)
    expect(trades).toHaveLength(0)
    expect(fills).toHaveLength(0)
    expect(orders).toHaveLength(0)

    // a one-sided book: Deribit sends a null best price; well formed, no BBO, counted as ignored (not malformed)
    const ignoredBefore = md.metrics().ignoredFrames
    emu.emulator.injectNotification(ticker, goodTicker.replace('"best_bid_price":60000', '"best_bid_price":null'))
    await waitFor(() => md.metrics().ignoredFrames > ignoredBefore, 'one-sided ticker ignored')
    expect(md.metrics().malformedFrames).toBe(6)

    // the clients still work: well-formed frames on the same channels are delivered
    emu.emulator.injectNotification(ticker, goodTicker)
    emu.emulator.injectNotification(tradesChannel, trade(''))
    emu.emulator.injectNotification(userTrades, userTrade(''))
    emu.emulator.injectNotification(userOrders, userOrder(''))
    await waitFor(
      () => bbos.length === 1 && trades.length === 1 && fills.length === 1 && orders.length === 1,
      'well-formed frames',
    )
    expect(bbos[0]).toMatchObject({ bidPrice: '60000', askPrice: '60000.5', bidSizeBase: '0.5', askSizeBase: '0.25' })
    expect(trades[0]).toMatchObject({ side: 'buy', price: '60000', sizeBase: '0.01' })
    expect(fills[0]).toMatchObject({ side: 'sell', isMaker: true, sizeBase: '0.01' })
    expect(orders[0]).toMatchObject({ side: 'buy', state: 'new', timeInForce: 'postOnly' })
  })
})

describe('Deribit create validity window (valid_until)', () => {
  it('a create carries valid_until; the venue refuses it once passed (13888, retryable); a null lookup waits for the window', async () => {
    const reader = await watcher()
    // the venue refuses a matching-engine request whose valid_until has passed
    const late = await reader
      .request('private/buy', {
        instrument_name: INSTRUMENT,
        amount: 0.01,
        type: 'limit',
        price: 45000,
        label: 'late-1',
        valid_until: Date.now() - 1,
      })
      .catch((e: unknown) => e)
    expect(late).toMatchObject({ venueCode: 13888, retryable: true })

    // an unanswered create that the venue refused: the lookup first finds nothing, waits until the create's
    // valid_until (+ skew) has passed, looks again, and only then reports it as not placed
    const c = await connector()
    const exec = new DeribitExecutionClient(c.tradingRpc as DeribitRpcClient, {
      createValidForMs: 800,
      maxClockSkewMs: 400,
    })
    emu.emulator.failNextPrivateRequests(1, 10040, 'retry')
    emu.emulator.swallowNextPrivateResponses = 1
    const sentAt = Date.now()
    const error = await exec
      .placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '45000',
        sizeBase: '0.01',
        timeInForce: 'postOnly',
        clientOrderId: 'window-1',
      })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'OrderNotPlacedError', clientOrderId: 'window-1' })
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_200)
    // a label this client never sent is settled at once
    const before = Date.now()
    expect(await exec.lookupOrder({ symbol: INSTRUMENT, clientOrderId: 'window-2' })).toBeNull()
    expect(Date.now() - before).toBeLessThan(1_200)
  })
})

describe('Deribit create with an unknown outcome', () => {
  it('a create in flight when the venue goes away for good is OrderStatusUnknownError (never retryable, never re-sent)', async () => {
    const gone = await startDeribitEmulator({
      instruments: [{ instrumentName: INSTRUMENT, tickSize: '0.5', stepSize: '0.001' }],
      accounts: [{ ...MAKER, balances: { USDC: '100000' } }],
      market: { kind: 'none' },
    })
    const rpcClient = new DeribitRpcClient({
      url: gone.wsUrl,
      clock: systemClock,
      random: () => 0.5,
      credentials: MAKER,
      nonce: () => `g${++nonce}`,
      requestTimeoutMs: 3_000,
    })
    closers.push(() => rpcClient.close())
    await rpcClient.start()
    const exec = new DeribitExecutionClient(rpcClient, { reconcileTimeoutMs: 500 })
    const accountId = gone.emulator.accountIdOf(MAKER.clientId)
    gone.emulator.swallowNextPrivateResponses = 1
    const placing = exec
      .placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '44000',
        sizeBase: '0.01',
        timeInForce: 'postOnly',
        clientOrderId: 'gone-1',
      })
      .catch((e: unknown) => e)
    await waitFor(
      () => gone.engine.listOpenOrders(accountId, INSTRUMENT).some((o) => o.clientOrderId.startsWith('gone-1#')),
      'the buy reached the engine',
    )
    await gone.close()
    const error = await placing
    expect(error).toBeInstanceOf(OrderStatusUnknownError)
    expect(error).toMatchObject({ code: 'ORDER_STATUS_UNKNOWN', retryable: false, clientOrderId: 'gone-1' })
    // the cause says why the lookup could not be made: the connection did not come back
    expect((error as OrderStatusUnknownError).walk((e) => e instanceof DeribitNotConnectedError)).toBeInstanceOf(
      DeribitNotConnectedError,
    )
  })
})

describe('Deribit amend raced by a fill', () => {
  it('an edit to an amount at or below what already filled (11029 invalid_arguments) returns the order as the venue holds it: the amend is moot, not an error', async () => {
    const c = await connector()
    const exec = c.execution as DeribitExecutionClient
    await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'sell',
      price: '62000',
      sizeBase: '0.005',
      timeInForce: 'postOnly',
      clientOrderId: 'race-ask',
    })
    const taker = new DeribitExecutionClient(await watcher(TAKER))
    await taker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '62000',
      sizeBase: '0.003',
      timeInForce: 'ioc',
      clientOrderId: 'race-lift',
    })
    // The hedger, not yet told of the fill, cuts the order to 0.002: below the 0.003 already filled.
    const order = await exec.amendOrder({
      symbol: INSTRUMENT,
      clientOrderId: 'race-ask',
      side: 'sell',
      price: '62000',
      sizeBase: '0.002',
    })
    expect([order.clientOrderId, order.filledSizeBase, order.sizeBase, order.state]).toEqual([
      'race-ask',
      '0.003',
      '0.005',
      'partiallyFilled',
    ])
    // An edit the venue refuses for another reason still throws.
    await expect(
      exec.amendOrder({
        symbol: INSTRUMENT,
        clientOrderId: 'race-ask',
        side: 'sell',
        price: '62000.3',
        sizeBase: '0.005',
      }),
    ).rejects.toThrow(/11029|price/)
    await exec.cancelOrder({ symbol: INSTRUMENT, clientOrderId: 'race-ask' })
  })
})
