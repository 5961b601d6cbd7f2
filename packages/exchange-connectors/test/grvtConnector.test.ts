import { type RunningGrvtEmulator, startGrvtEmulator } from '@alp/venue-sim/grvt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import { DecimalGrid } from '../src/common/decimal.js'
import type { ReconciliationSnapshot } from '../src/common/privateStream.js'
import type { Balance, Fill, Position } from '../src/common/types/account.js'
import type { OrderBookView } from '../src/common/types/marketData.js'
import type { Order } from '../src/common/types/order.js'
import { GrvtApiError } from '../src/errors/grvt.js'
import { OrderNotPlacedError, PostOnlyRejectedError } from '../src/errors/order.js'
import { createGrvtClientOrderId } from '../src/grvt/clientOrderId.js'
import { createGrvtConnector } from '../src/grvt/createGrvtConnector.js'
import { GrvtExecutionClient } from '../src/grvt/execution.js'
import { GrvtHttpClient } from '../src/grvt/http/client.js'
import { GrvtMarketDataClient } from '../src/grvt/marketData.js'
import { GrvtPrivateStream } from '../src/grvt/ws/privateStream.js'
import { waitFor } from './src/waitFor.js'

// GRVT connector ↔ @alp/venue-sim GRVT emulator, end to end (cookie login, EIP-712 signed orders, book.d, private streams).
const INSTRUMENT = 'BTC_USDT_Perp'
const MAKER_KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // pysdk test key
const TAKER_KEY = '0xc0663ca94684aead40c41a1cb3a94b68a24296e87245be3a186e882a29a15ee0'
const MAKER_SUB = '8289849667772468'
const TAKER_SUB = '1111'
let emu: RunningGrvtEmulator
let seq = 0n
let nonce = 1
const cid = () => createGrvtClientOrderId(++seq)
const stops: Array<() => void | Promise<void>> = []

function http(apiKey: string): GrvtHttpClient {
  return new GrvtHttpClient({
    edgeUrl: emu.restUrl,
    tradesUrl: emu.restUrl,
    marketDataUrl: emu.restUrl,
    apiKey,
    clock: systemClock,
  })
}

function exec(apiKey: string, key: string, sub: string): GrvtExecutionClient {
  return new GrvtExecutionClient({
    http: http(apiKey),
    signerPrivateKey: key,
    subAccountId: sub,
    chainId: 326,
    clock: systemClock,
    nextNonce: () => nonce++,
  })
}

/** The maker's execution client and its private stream (stopped after the test). */
function makerWithStream(): { maker: GrvtExecutionClient; stream: GrvtPrivateStream } {
  const maker = exec('maker', MAKER_KEY, MAKER_SUB)
  const stream = new GrvtPrivateStream({
    wsUrl: emu.wsUrl,
    http: http('maker'),
    subAccountId: MAKER_SUB,
    execution: maker,
    clock: systemClock,
    random: () => 0.5,
  })
  stops.push(() => stream.stop())
  return { maker, stream }
}

function emulatorBook(depth: number) {
  const snap = emu.engine.snapshot(INSTRUMENT, depth)
  return {
    bids: snap.bids.map(([t, l]) => [Number(t), Number(l)]),
    asks: snap.asks.map(([t, l]) => [Number(t), Number(l)]),
  }
}

/** 10^-8 units as GRVT's 8-decimal strings (written out here, independent of the emulator's formatter). */
function formatE8(units: bigint): string {
  const sign = units < 0n ? '-' : ''
  const abs = units < 0n ? -units : units
  return `${sign}${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, '0')}`
}

/** A signed decimal BTC size in thousandths (it must have no finer digit). */
function toMilli(size: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(size)
  if (!m) throw new Error(`not a decimal: ${size}`)
  const fraction = (m[3] ?? '').padEnd(3, '0')
  expect(fraction.slice(3)).toMatch(/^0*$/)
  return (m[1] === '-' ? -1n : 1n) * BigInt(`${m[2]}${fraction.slice(0, 3)}`)
}

const sameBook = (view: OrderBookView | undefined, depth: number) =>
  view !== undefined &&
  JSON.stringify({ bids: view.bids.slice(0, depth), asks: view.asks.slice(0, depth) }) ===
    JSON.stringify(emulatorBook(depth))

beforeAll(async () => {
  emu = await startGrvtEmulator({
    instruments: [{ instrument: INSTRUMENT, instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' }],
    accounts: [
      { apiKey: 'maker', signerPrivateKeys: [MAKER_KEY], subAccountId: MAKER_SUB, balances: { USDT: '100000' } },
      { apiKey: 'taker', signerPrivateKeys: [TAKER_KEY], subAccountId: TAKER_SUB, balances: { USDT: '100000' } },
    ],
    market: { kind: 'simulated', midPrice: '65000', seed: 3, stepMs: 20, levels: 10, tradeProbability: 0 },
  })
})

afterAll(async () => {
  for (const stop of stops) await stop()
  await emu.close()
})

describe('GRVT connector ↔ emulator', () => {
  it('book.d: equal to the emulator book through drops, duplicates, reorders, malformed frames and a disconnect', async () => {
    const md = new GrvtMarketDataClient({
      wsUrl: emu.wsUrl,
      http: http('maker'),
      clock: systemClock,
      random: () => 0.5,
    })
    stops.push(() => md.close())
    await md.subscribeBook(INSTRUMENT)
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal')
    emu.emulator.faults.set({ depth: { dropNext: 1 } })
    await waitFor(() => (md.metrics().resyncCount[INSTRUMENT] ?? 0) >= 1, 'resync after a gap')
    // The count moves when the book breaks; the resync is over once the book is whole again. Faults injected before
    // that land on the new subscription's snapshot (taken as is) instead of on the deltas they are meant to disturb.
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal after the first resync')
    emu.emulator.faults.set({ depth: { duplicateNext: 2, reorderNext: 1 } })
    await waitFor(() => (md.metrics().resyncCount[INSTRUMENT] ?? 0) >= 2, 'resync after a reorder')
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal after resyncs')
    emu.emulator.faults.set({ ws: { malformedNext: 2 } })
    await waitFor(() => md.metrics().malformedFrames >= 2, 'malformed frames counted')
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal after malformed frames')
    const before = md.socket.connectionCount
    emu.emulator.disconnectAll()
    await waitFor(() => md.socket.connectionCount > before, 'reconnected')
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal after reconnect')
  })

  it('signed orders: place, amend, cancel; post-only crossing is typed; fills and positions stream', async () => {
    const { maker, stream } = makerWithStream()
    const orders: Order[] = []
    const fills: Fill[] = []
    const positions: Position[] = []
    stream.on('order', (o) => orders.push(o))
    stream.on('fill', (f) => fills.push(f))
    stream.on('position', (p) => positions.push(p))
    await stream.start()
    const id = cid()
    const placed = await maker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '60000.0',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId: id,
    })
    expect(placed).toMatchObject({ state: 'new', clientOrderId: id, price: '60000.0', sizeBase: '0.010' })
    const amended = await maker.amendOrder({
      symbol: INSTRUMENT,
      clientOrderId: id,
      side: 'buy',
      price: '60000.5',
      sizeBase: '0.020',
    })
    expect(amended).toMatchObject({ state: 'new', price: '60000.5', sizeBase: '0.020' })
    const cancelled = await maker.cancelOrder({ symbol: INSTRUMENT, clientOrderId: id })
    expect(cancelled.state).toBe('canceled')
    await waitFor(() => orders.some((o) => o.clientOrderId === id && o.state === 'canceled'), 'v1.order cancel')

    const cross = cid()
    const error = await maker
      .placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '70000.0',
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId: cross,
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PostOnlyRejectedError)
    expect(error).toMatchObject({ venueCode: 'FAIL_POST_ONLY', clientOrderId: cross })

    const ask = cid()
    await maker.placeOrder({
      symbol: INSTRUMENT,
      side: 'sell',
      price: '70000.0',
      sizeBase: '0.003',
      timeInForce: 'postOnly',
      clientOrderId: ask,
    })
    const taker = exec('taker', TAKER_KEY, TAKER_SUB)
    await taker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '70000.0',
      sizeBase: '30.000',
      timeInForce: 'ioc',
      clientOrderId: cid(),
    })
    await waitFor(() => fills.some((f) => f.clientOrderId === ask), 'maker fill on v1.fill')
    expect(fills.find((f) => f.clientOrderId === ask)).toMatchObject({
      price: '70000.0',
      sizeBase: '0.003',
      side: 'sell',
      isMaker: true,
    })
    await waitFor(() => positions.some((p) => p.sizeBase === '-0.003'), 'v1.position short 0.003')
    expect((await maker.getPositions()).find((p) => p.symbol === INSTRUMENT)?.sizeBase).toBe('-0.003')
  })

  it('cancel-on-disconnect: kept alive while quoting, it cancels the working orders once the quoter stops', async () => {
    const maker = exec('maker', MAKER_KEY, MAKER_SUB)
    const errors: unknown[] = []
    await maker.keepCancelOnDisconnect(1_500, 300, (e) => errors.push(e))
    const id = cid()
    await maker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '50000.0',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId: id,
    })
    // while refreshed, the countdown never fires: the order is still open after several refresh periods
    const refreshes = emu.emulator.clock.nowMs() + 2_000
    await waitFor(() => emu.emulator.clock.nowMs() > refreshes, 'two seconds of refreshes')
    expect((await maker.getOrder(id)).state).toBe('new')
    await maker.stopCancelOnDisconnect(false)
    await waitFor(async () => (await maker.getOrder(id)).state === 'canceled', 'venue cancelled after the countdown')
    expect(errors).toEqual([])
  })

  it('session expiry: the next call logs in again; the private stream reconnects and misses no update', async () => {
    const { maker, stream } = makerWithStream()
    const orders: Order[] = []
    stream.on('order', (o) => orders.push(o))
    await stream.start()
    emu.emulator.expireSessions()
    const id = cid()
    const placed = await maker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '50000.0',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId: id,
    })
    expect(placed.state).toBe('new')
    await waitFor(() => orders.some((o) => o.clientOrderId === id), 'v1.order for the order placed after expiry')
    let readyCount = 0
    stream.on('ready', (n) => {
      readyCount = n
    })
    const before = stream.connectionCount
    emu.emulator.disconnectAll()
    await waitFor(() => readyCount > before, 'private stream reconnected and subscribed')
    await maker.cancelOrder({ symbol: INSTRUMENT, clientOrderId: id })
    await waitFor(() => orders.some((o) => o.clientOrderId === id && o.state === 'canceled'), 'cancel after reconnect')
  })

  it('reconciliation: after every (re)connection the stream re-reads open orders, positions and balances', async () => {
    const { maker, stream } = makerWithStream()
    const snapshots: ReconciliationSnapshot[] = []
    stream.on('reconciled', (s) => snapshots.push(s))
    await stream.start()
    expect(snapshots).toHaveLength(1)
    await maker.cancelAllOrders(INSTRUMENT)
    // a resting bid and a fill; the reconciliation after the reconnect must show both as the venue holds them
    const resting = cid()
    await maker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '40000.0',
      sizeBase: '0.020',
      timeInForce: 'postOnly',
      clientOrderId: resting,
    })
    // an IOC buy far through the offers fills at once against the simulated market (sized so the position stays open)
    const lotsBefore = emu.engine.positionView('grvt-0', INSTRUMENT).lots
    const boughtLots = lotsBefore === -3n ? 4n : 3n
    const taken = await maker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '90000.0',
      sizeBase: `0.00${boughtLots}`,
      timeInForce: 'ioc',
      clientOrderId: cid(),
    })
    expect(taken.state).toBe('filled')
    const lots = emu.engine.positionView('grvt-0', INSTRUMENT).lots
    expect(lots).toBe(lotsBefore + boughtLots)
    const before = stream.connectionCount
    emu.emulator.disconnectAll()
    await waitFor(() => stream.connectionCount > before && snapshots.length === 2, 'reconciled after the reconnect')
    const snapshot = snapshots[1] as ReconciliationSnapshot
    // the venue's own state, read from the emulator's engine
    const open = emu.engine.listOpenOrders('grvt-0')
    expect(snapshot.openOrders.map((o) => o.clientOrderId).sort()).toEqual(
      open.map((o) => o.clientOrderId.split('#')[0]).sort(),
    )
    expect(snapshot.openOrders.find((o) => o.clientOrderId === resting)).toMatchObject({
      state: 'new',
      side: 'buy',
      price: '40000.0',
      sizeBase: '0.020',
    })
    expect(snapshot.positions).toHaveLength(1)
    const [position] = snapshot.positions
    expect(position?.symbol).toBe(INSTRUMENT)
    // the engine counts lots of 0.001 BTC; the snapshot carries the signed size in BTC
    expect(toMilli(position?.sizeBase ?? '')).toBe(lots)
    // the wallet moves only with fills and fees (none since); `available` moves with the simulated mark price, so it is
    // checked against the account_summary it was read from
    const margin = emu.engine.marginSummary('grvt-0', 'USDT')
    expect(snapshot.balances).toEqual([
      expect.objectContaining({ venue: 'grvt', asset: 'USDT', wallet: formatE8(margin.walletBalanceE8) }),
    ])
    const balance = snapshot.balances[0] as Balance
    expect(balance.available).toBe((balance.raw as { available_balance: string }).available_balance)
    await maker.cancelAllOrders(INSTRUMENT)
  })

  it('reconciliation that fails (GRVT 1002) is reported and the stream reconnects until it reconciles', async () => {
    const { stream } = makerWithStream()
    const snapshots: ReconciliationSnapshot[] = []
    const errors: unknown[] = []
    stream.on('reconciled', (s) => snapshots.push(s))
    stream.on('error', (e) => errors.push(e))
    await stream.start()
    const before = stream.connectionCount
    // the first REST read after the reconnect answers 500 / 1002
    emu.emulator.faults.rest.http5xxNext = 1
    emu.emulator.disconnectAll()
    await waitFor(() => snapshots.length === 2, 'reconciled after the failed attempt')
    expect(errors.filter((e) => e instanceof GrvtApiError && e.venueCode === 1002)).toHaveLength(1)
    // one reconnect for the dropped socket, one more forced by the failed reconciliation
    expect(stream.connectionCount).toBe(before + 2)
    expect(snapshots[1]?.balances.map((b) => b.asset)).toEqual(['USDT'])
  })

  it('createGrvtConnector wires market data, signed order entry and the dead-man switch from configuration alone', async () => {
    const connector = await createGrvtConnector({
      urls: {
        edgeUrl: emu.restUrl,
        tradesUrl: emu.restUrl,
        marketDataUrl: emu.restUrl,
        marketDataWsUrl: emu.wsUrl,
        tradesWsUrl: emu.wsUrl,
      },
      apiKey: 'maker',
      signerPrivateKey: MAKER_KEY,
      subAccountId: MAKER_SUB,
      chainId: 326,
      clock: systemClock,
      random: () => 0.5,
      nextNonce: () => nonce++,
    })
    stops.push(() => connector.close())
    await connector.marketData.subscribeBook(INSTRUMENT)
    await waitFor(() => sameBook(connector.marketData.getBook(INSTRUMENT, 5), 5), 'factory book equal')
    await connector.armDeadManSwitch(60_000)
    const order = await connector.execution.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '42000.0',
      sizeBase: '0.001',
      timeInForce: 'postOnly',
      clientOrderId: cid(),
    })
    expect(order.state).toBe('new')
    await connector.armDeadManSwitch(0)
    await connector.execution.cancelAllOrders(INSTRUMENT)
  })

  it('an unanswered create_order is reconciled by client id: placed → the order; not executed → OrderNotPlacedError', async () => {
    const maker = new GrvtExecutionClient({
      http: new GrvtHttpClient({
        edgeUrl: emu.restUrl,
        tradesUrl: emu.restUrl,
        marketDataUrl: emu.restUrl,
        apiKey: 'maker',
        clock: systemClock,
        timeoutMs: 400,
      }),
      signerPrivateKey: MAKER_KEY,
      subAccountId: MAKER_SUB,
      chainId: 326,
      clock: systemClock,
      nextNonce: () => nonce++,
      // absent is only final once the signed order can no longer be accepted: a short signature lifetime settles it
      signatureTtlMs: 1_000,
      clockSkewMs: 200,
    })
    // warm up (login + instrument signing data), so the lost request is the create itself
    const warm = cid()
    await maker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '43000.0',
      sizeBase: '0.001',
      timeInForce: 'postOnly',
      clientOrderId: warm,
    })
    await maker.cancelOrder({ symbol: INSTRUMENT, clientOrderId: warm })
    const placedId = cid()
    emu.emulator.faults.set({ rest: { timeoutNext: 1, timeoutMode: 'after' } })
    const placed = await maker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '43000.0',
      sizeBase: '0.001',
      timeInForce: 'postOnly',
      clientOrderId: placedId,
    })
    expect(placed).toMatchObject({ clientOrderId: placedId, state: 'new' })
    const lostId = cid()
    emu.emulator.faults.set({ rest: { timeoutNext: 1, timeoutMode: 'before' } })
    await expect(
      maker.placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '43000.0',
        sizeBase: '0.001',
        timeInForce: 'postOnly',
        clientOrderId: lostId,
      }),
    ).rejects.toBeInstanceOf(OrderNotPlacedError)
    await maker.cancelOrder({ symbol: INSTRUMENT, clientOrderId: placedId })
  })

  it('trades from v1.trade and BBO derived from the checked book', async () => {
    const md = new GrvtMarketDataClient({
      wsUrl: emu.wsUrl,
      http: http('maker'),
      clock: systemClock,
      random: () => 0.5,
    })
    stops.push(() => md.close())
    const trades: Array<{ price: string; sizeBase: string; side: string }> = []
    const bbos: Array<{ bidPrice: string; askPrice: string }> = []
    md.on('trade', (t) => trades.push(t))
    md.on('bbo', (b) => bbos.push(b))
    await md.subscribeBbo(INSTRUMENT)
    await md.subscribeTrades(INSTRUMENT)
    await waitFor(() => bbos.length > 0, 'a BBO')
    // the BBO is an exact decimal on the 0.1 tick grid with bid < ask
    const grid = new DecimalGrid('0.1')
    const last = bbos[bbos.length - 1]!
    expect(grid.toTicks(last.bidPrice)).toBeLessThan(grid.toTicks(last.askPrice))
    const taker = exec('taker', TAKER_KEY, TAKER_SUB)
    await taker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '70000.0',
      sizeBase: '0.001',
      timeInForce: 'ioc',
      clientOrderId: cid(),
    })
    await waitFor(() => trades.some((t) => t.side === 'buy' && t.sizeBase === '0.001'), 'the taker trade on v1.trade')
  })
})
