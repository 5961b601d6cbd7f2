import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import type { BinanceUserDataStream } from '../src/binance/ws/userData.js'
import { parseDecimal, toScaled } from '../src/common/decimal.js'
import type { Balance, Fill, Position } from '../src/common/types/account.js'
import type { Order } from '../src/common/types/order.js'
import { OrderNotPlacedError, PostOnlyRejectedError } from '../src/errors/order.js'
import { configFor, startEmulator, TAKER } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

// Order entry, private stream and faults end to end against the @alp/venue-sim Binance emulator (wall clock, ticking).
let emu: RunningBinanceEmulator
let maker: BinanceConnector
let taker: BinanceConnector
let id = 0
const cid = (tag: string) => `t-${tag}-${++id}`
/** Decimal strings compared exactly (8 decimals), whatever their printed scale. */
const e8 = (x: string) => toScaled(parseDecimal(x), 8)
const MAKER_ACCOUNT = 'futures-0'

beforeAll(async () => {
  emu = await startEmulator()
  maker = await createBinanceConnector(configFor(emu, { httpTimeoutMs: 400 }), ['ETHUSDT'])
  taker = await createBinanceConnector(configFor(emu, { credentials: TAKER }), ['ETHUSDT'])
  // taker liquidity far from the action, so the mark price (mid) stays at 2680.00
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'buy',
    price: '2670.00',
    sizeBase: '0.100',
    timeInForce: 'gtc',
    clientOrderId: 'tk-bid',
  })
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'sell',
    price: '2690.00',
    sizeBase: '0.100',
    timeInForce: 'gtc',
    clientOrderId: 'tk-ask',
  })
})

afterAll(async () => {
  await maker?.close()
  await taker?.close()
  await emu?.close()
})

describe('Binance USDⓈ-M execution vs the emulator', () => {
  it('places a post-only order, amends it, cancels it; cancel-all empties the book of our orders', async () => {
    const placed = await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2675.00',
      sizeBase: '0.050',
      timeInForce: 'postOnly',
      clientOrderId: cid('a'),
    })
    expect([placed.state, placed.timeInForce, placed.price, placed.sizeBase]).toEqual([
      'new',
      'postOnly',
      '2675.00',
      '0.050',
    ])
    const amended = await maker.execution.amendOrder({
      symbol: 'ETHUSDT',
      clientOrderId: placed.clientOrderId,
      side: 'buy',
      price: '2676.00',
      sizeBase: '0.040',
    })
    expect([amended.orderId, amended.price, amended.sizeBase, amended.state]).toEqual([
      placed.orderId,
      '2676.00',
      '0.040',
      'new',
    ])
    // An amend to what the order already is: the venue answers -5027 "No need to modify the order." The amend is
    // satisfied (a resent amend, or one that crossed the venue's own update, lands here): the order as it is, no error.
    const again = await maker.execution.amendOrder({
      symbol: 'ETHUSDT',
      clientOrderId: placed.clientOrderId,
      side: 'buy',
      price: '2676.00',
      sizeBase: '0.040',
    })
    expect([again.orderId, again.price, again.sizeBase, again.state]).toEqual([
      placed.orderId,
      '2676.00',
      '0.040',
      'new',
    ])
    const cancelled = await maker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId: placed.clientOrderId })
    expect(cancelled.state).toBe('canceled')

    for (const price of ['2671.00', '2672.00', '2673.00'])
      await maker.execution.placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price,
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId: cid('b'),
      })
    expect(await maker.execution.getOpenOrders('ETHUSDT')).toHaveLength(3)
    await maker.execution.cancelAllOrders('ETHUSDT')
    expect(await maker.execution.getOpenOrders('ETHUSDT')).toHaveLength(0)
  })

  it('batch create (≤ 5): entries succeed or fail independently', async () => {
    const ok = cid('batch')
    const taking = cid('batch')
    const results = await maker.execution.placeOrders([
      {
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2664.00',
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId: ok,
      },
      {
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2690.00',
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId: taking,
      },
    ])
    expect(results).toHaveLength(2)
    expect((results[0] as { state: string }).state).toBe('new')
    expect((results[1] as { venueCode: number }).venueCode).toBe(-5022)
    expect(emu.engine.getOrderByClientId(MAKER_ACCOUNT, 'ETHUSDT', ok)?.status).toBe('NEW')
    await maker.execution.cancelAllOrders('ETHUSDT')
  })

  it('a post-only order that would take is rejected with PostOnlyRejectedError (-5022), not recorded', async () => {
    const clientOrderId = cid('gtx')
    const error = await maker.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2690.00',
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId,
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PostOnlyRejectedError)
    expect((error as PostOnlyRejectedError).venueCode).toBe(-5022)
    expect((error as PostOnlyRejectedError).retryable).toBe(false)
    expect((error as PostOnlyRejectedError).clientOrderId).toBe(clientOrderId)
    expect(emu.engine.getOrderByClientId(MAKER_ACCOUNT, 'ETHUSDT', clientOrderId)).toBeUndefined()
  })

  it('a create that timed out but went through yields exactly one order (reconciled by client id, no resend)', async () => {
    const clientOrderId = cid('to')
    emu.emulator.setFaults({ rest: { timeoutNext: 1, timeoutMode: 'after' } })
    const order = await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2660.00',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId,
    })
    expect([order.clientOrderId, order.state]).toEqual([clientOrderId, 'new'])
    const ours = emu.engine.listOpenOrders(MAKER_ACCOUNT, 'ETHUSDT').filter((o) => o.clientOrderId === clientOrderId)
    expect(ours).toHaveLength(1)
    await maker.execution.cancelAllOrders('ETHUSDT')
  })

  it('a 5xx after execution (status unknown) also yields exactly one order', async () => {
    const clientOrderId = cid('5xx')
    emu.emulator.setFaults({ rest: { http5xxNext: 1, http5xxMode: 'after', http5xxStatus: 503 } })
    const order = await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2661.00',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId,
    })
    expect(order.state).toBe('new')
    expect(
      emu.engine.listOpenOrders(MAKER_ACCOUNT, 'ETHUSDT').filter((o) => o.clientOrderId === clientOrderId),
    ).toHaveLength(1)
    await maker.execution.cancelAllOrders('ETHUSDT')
  })

  it('a create that timed out and was NOT executed becomes OrderNotPlacedError once recvWindow has passed', async () => {
    const short = await createBinanceConnector(configFor(emu, { httpTimeoutMs: 300, recvWindowMs: 500 }), ['ETHUSDT'])
    const clientOrderId = cid('nx')
    emu.emulator.setFaults({ rest: { timeoutNext: 1, timeoutMode: 'before' } })
    const error = await short.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2662.00',
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId,
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrderNotPlacedError)
    expect((error as OrderNotPlacedError).retryable).toBe(true)
    expect(emu.engine.getOrderByClientId(MAKER_ACCOUNT, 'ETHUSDT', clientOrderId)).toBeUndefined()
    await short.close()
  })
})

describe('server time (pitfall 5: -1021)', () => {
  it('a drifted offset gets -1021 once; the client re-syncs the server time and the order goes through once', async () => {
    const drifted = await createBinanceConnector(configFor(emu), ['ETHUSDT'])
    const now = Date.now()
    drifted.http.serverTime.update(now - 20_000, now, now) // we now believe the server is 20 s behind
    const clientOrderId = cid('ts')
    const order = await drifted.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2655.00',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId,
    })
    expect(order.state).toBe('new')
    expect(Math.abs(drifted.http.serverTime.offsetMs)).toBeLessThan(1_000)
    expect(
      emu.engine.listOpenOrders(MAKER_ACCOUNT, 'ETHUSDT').filter((o) => o.clientOrderId === clientOrderId),
    ).toHaveLength(1)
    await drifted.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
    await drifted.close()
  })
})

describe('Binance USDⓈ-M private stream vs the emulator', () => {
  let stream: BinanceUserDataStream
  const orders: Order[] = []
  const fills: Fill[] = []
  const positions: Position[] = []
  const balances: Balance[] = []

  beforeAll(async () => {
    stream = maker.userData as BinanceUserDataStream
    stream.on('order', (o) => orders.push(o))
    stream.on('fill', (f) => fills.push(f))
    stream.on('position', (p) => positions.push(p))
    stream.on('balance', (b) => balances.push(b))
    await stream.start()
  })

  it('keeps at most maxFinishedOrdersTracked finished orders (a long run no longer tracks every order it ever saw); open orders stay', async () => {
    const bounded = await createBinanceConnector(configFor(emu, { maxFinishedOrdersTracked: 3 }), ['ETHUSDT'])
    const boundedStream = bounded.userData as BinanceUserDataStream
    const seen: Order[] = []
    boundedStream.on('order', (o) => seen.push(o))
    await boundedStream.start()
    try {
      const open = cid('keep')
      await bounded.execution.placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2600.00',
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId: open,
      })
      const finished: string[] = []
      for (let i = 0; i < 8; i++) {
        const clientOrderId = cid('gone')
        finished.push(clientOrderId)
        await bounded.execution.placeOrder({
          symbol: 'ETHUSDT',
          side: 'buy',
          price: '2601.00',
          sizeBase: '0.010',
          timeInForce: 'postOnly',
          clientOrderId,
        })
        await bounded.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
      }
      await waitFor(
        () => finished.every((id) => seen.some((o) => o.clientOrderId === id && o.state === 'canceled')),
        'every cancel on the stream',
      )
      const tracked = [...boundedStream.trackedOrders.keys()]
      // The open order, and the three newest finished ones (their late updates are still recognised as stale).
      expect(tracked.sort()).toEqual([open, ...finished.slice(-3)].sort())
      await bounded.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId: open })
    } finally {
      await bounded.close()
    }
  })

  it('a maker fill updates position and AVAILABLE balance (hand-computed), not the cross wallet', async () => {
    const clientOrderId = cid('fill')
    await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2680.00',
      sizeBase: '0.100',
      timeInForce: 'postOnly',
      clientOrderId,
    })
    await taker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'sell',
      price: '2680.00',
      sizeBase: '0.100',
      timeInForce: 'gtc',
      clientOrderId: cid('hit'),
    })
    await waitFor(() => fills.some((f) => f.clientOrderId === clientOrderId), 'maker fill')
    const fill = fills.find((f) => f.clientOrderId === clientOrderId)!
    expect([e8(fill.price), e8(fill.sizeBase), fill.isMaker, fill.side]).toEqual([e8('2680'), e8('0.1'), true, 'buy'])
    // maker fee 2 bps of 268.00 USDT notional = 0.0536 USDT
    expect(e8(fill.fee)).toBe(e8('0.0536'))
    await waitFor(() => positions.some((p) => p.symbol === 'ETHUSDT' && e8(p.sizeBase) === e8('0.1')), 'position +0.1')
    // wallet = 10000 − 0.0536 = 9999.9464; mark = mid(2670, 2690) = 2680 = entry → uPnL 0;
    // initial margin = 0.1 · 2680 / 20 = 13.4 → available = 9999.9464 − 13.4 = 9986.5464 (no open orders left)
    await waitFor(
      () => balances.some((b) => b.asset === 'USDT' && e8(b.available) === e8('9986.5464')),
      'available balance',
    )
    const usdt = balances.filter((b) => b.asset === 'USDT').at(-1)!
    expect(e8(usdt.wallet)).toBe(e8('9999.9464'))
    expect(usdt.available).not.toBe(usdt.wallet)
    const rest = (await maker.execution.getPositions('ETHUSDT')).find((p) => p.symbol === 'ETHUSDT')!
    expect(e8(rest.sizeBase)).toBe(e8('0.1'))
    expect(e8(rest.entryPrice)).toBe(e8('2680'))
    await waitFor(() => orders.some((o) => o.clientOrderId === clientOrderId && o.state === 'filled'), 'filled update')
  })

  it('listenKey expiry: the stream re-creates the key, reconnects, and no order update is lost', async () => {
    const clientOrderId = cid('lk')
    await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2650.00',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId,
    })
    await waitFor(() => orders.some((o) => o.clientOrderId === clientOrderId && o.state === 'new'), 'NEW update')
    const keysBefore = stream.listenKeysCreated
    emu.emulator.expireListenKeysNow()
    // cancelled while the key is dead: no event can reach the old socket
    await maker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
    await waitFor(() => stream.listenKeysCreated > keysBefore, 'listenKey re-created')
    await waitFor(
      () => orders.some((o) => o.clientOrderId === clientOrderId && o.state === 'canceled'),
      'CANCELED update after recovery',
    )
    expect(orders.filter((o) => o.clientOrderId === clientOrderId && o.state === 'canceled')).toHaveLength(1)
  })

  it('malformed private frames never crash the stream', async () => {
    const errors: unknown[] = []
    stream.on('health', (e) => {
      if (e.kind === 'error') errors.push(e.error)
    })
    emu.emulator.setFaults({ ws: { malformedNext: 1, malformedKind: 'invalidJson' } })
    const clientOrderId = cid('mf')
    await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2651.00',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId,
    })
    await maker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
    await waitFor(() => orders.some((o) => o.clientOrderId === clientOrderId && o.state === 'canceled'), 'stream alive')
  })
})

describe('dead-man switch (countdownCancelAll)', () => {
  it('kept alive while quoting; when refreshing stops the venue cancels every order', async () => {
    const cfg = configFor(emu, { deadMan: { countdownMs: 1_000, refreshMs: 150 } })
    const quoting = await createBinanceConnector(cfg, ['ETHUSDT'])
    const clientOrderId = cid('dm')
    await quoting.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2640.00',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId,
    })
    const errors: Error[] = []
    await quoting.execution.startDeadManSwitch('ETHUSDT', (_s, e) => errors.push(e))
    // 8 refreshes at 150 ms span longer than the 1 s countdown: the order must still be open
    await waitFor(() => quoting.execution.deadManRefreshCount >= 8, 'eight refreshes')
    expect(emu.engine.getOrderByClientId(MAKER_ACCOUNT, 'ETHUSDT', clientOrderId)?.status).toBe('NEW')
    quoting.execution.abandonDeadManSwitch('ETHUSDT')
    await waitFor(
      () => emu.engine.getOrderByClientId(MAKER_ACCOUNT, 'ETHUSDT', clientOrderId)?.status === 'CANCELED',
      'venue cancelled the order',
      4_000,
    )
    expect(errors).toEqual([])
    await quoting.close()
  })
})
