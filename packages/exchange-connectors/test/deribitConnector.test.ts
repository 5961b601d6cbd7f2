import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../src/common/clock.js'
import { DecimalGrid } from '../src/common/decimal.js'
import type { Fill } from '../src/common/types/account.js'
import type { OrderBookView } from '../src/common/types/marketData.js'
import type { Order } from '../src/common/types/order.js'
import { createDeribitConnector } from '../src/deribit/createDeribitConnector.js'
import { DeribitExecutionClient } from '../src/deribit/execution.js'
import { DeribitMarketDataClient } from '../src/deribit/marketData.js'
import { DeribitRpcClient } from '../src/deribit/ws/client.js'
import { DeribitUserDataStream } from '../src/deribit/ws/userData.js'
import { OrderNotPlacedError, PostOnlyRejectedError } from '../src/errors/order.js'
import { waitFor } from './src/waitFor.js'

// Deribit connector ↔ @alp/venue-sim Deribit emulator, end to end over the real JSON-RPC WebSocket protocol.
const INSTRUMENT = 'BTC_USDC-PERPETUAL'
const MAKER = { clientId: 'maker', clientSecret: 'maker-secret' }
const TAKER = { clientId: 'taker', clientSecret: 'taker-secret' }
let emu: RunningDeribitEmulator
let nonce = 0
const clients: DeribitRpcClient[] = []

function rpc(credentials?: { clientId: string; clientSecret: string }, cancelOnDisconnect = false): DeribitRpcClient {
  const client = new DeribitRpcClient({
    url: emu.wsUrl,
    clock: systemClock,
    random: () => 0.5,
    credentials,
    nonce: () => `n${++nonce}`,
    cancelOnDisconnect,
    requestTimeoutMs: 5_000,
  })
  clients.push(client)
  return client
}

/** The emulator's own book (engine levels) as ticks/lots on the 0.5 / 0.001 grid, best first. */
function emulatorBook(depth: number): { bids: number[][]; asks: number[][] } {
  const snap = emu.engine.snapshot(INSTRUMENT, depth)
  return {
    bids: snap.bids.map(([t, l]) => [Number(t), Number(l)]),
    asks: snap.asks.map(([t, l]) => [Number(t), Number(l)]),
  }
}

const sameBook = (view: OrderBookView | undefined, depth: number) =>
  view !== undefined &&
  JSON.stringify({ bids: view.bids.slice(0, depth), asks: view.asks.slice(0, depth) }) ===
    JSON.stringify(emulatorBook(depth))

/**
 * On a loaded machine (CI: two test processes on two cores) the connector's renewal of a book subscription after a
 * resync (unsubscribe, then subscribe) can span several emulator ticks. Here it always does: a book subscription made
 * after a resync is held until the emulator has published `changes` more book changes. A fault injected while the book
 * is resyncing then always lands in that gap (on changes nobody receives, or released before the new snapshot)
 * instead of on the deltas it is meant to disturb, so a test that injects too early fails every time, not once in a while.
 */
function holdBookResubscriptions(client: DeribitRpcClient, md: DeribitMarketDataClient, changes = 4): void {
  const subscribe = client.subscribe.bind(client)
  client.subscribe = async (channels) => {
    if ((md.metrics().resyncCount[INSTRUMENT] ?? 0) > 0 && channels.some((c) => c.startsWith('book.'))) {
      const seen = new Set<number>()
      await waitFor(() => {
        seen.add(emu.engine.snapshot(INSTRUMENT, 1).lastUpdateId)
        return seen.size > changes
      }, `${changes} book changes published while the book subscription is renewed`)
    }
    return subscribe(channels)
  }
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: INSTRUMENT, tickSize: '0.5', stepSize: '0.001' }],
    accounts: [
      { ...MAKER, balances: { USDC: '100000' } },
      { ...TAKER, balances: { USDC: '100000' } },
    ],
    market: { kind: 'simulated', midPrice: '60000', seed: 7, stepMs: 20, levels: 10, tradeProbability: 0 },
  })
})

afterAll(async () => {
  for (const c of clients) c.close()
  await emu.close()
})

describe('Deribit connector ↔ emulator', () => {
  it('the book equals the emulator book, through dropped / duplicated / reordered changes and a disconnect', async () => {
    const client = rpc()
    await client.start()
    const md = new DeribitMarketDataClient(client)
    holdBookResubscriptions(client, md)
    await md.subscribeBook(INSTRUMENT)
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal to the emulator')
    emu.emulator.faults.set({ depth: { dropNext: 1 } })
    await waitFor(() => (md.metrics().resyncCount[INSTRUMENT] ?? 0) >= 1, 'a resync after the dropped change')
    // The count moves when the book breaks; the resync is over once the book is whole again (new snapshot received).
    // Faults injected before that are spent on changes the renewing subscription never receives, or released before
    // its snapshot, and the reorder never breaks the book.
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal after the first resync')
    emu.emulator.faults.set({ depth: { duplicateNext: 2, reorderNext: 1 } })
    await waitFor(() => (md.metrics().resyncCount[INSTRUMENT] ?? 0) >= 2, 'a resync after the reordered change')
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal again after the resyncs')
    emu.emulator.faults.set({ ws: { malformedNext: 2 } })
    await waitFor(() => md.metrics().malformedFrames >= 2, 'malformed frames counted')
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal again after malformed frames')
    const before = client.socket.connectionCount
    emu.emulator.disconnectAll()
    await waitFor(() => client.socket.connectionCount > before, 'reconnected')
    await waitFor(() => sameBook(md.getBook(INSTRUMENT, 10), 10), 'book equal after the reconnect')
  })

  it('orders: place post-only, edit, cancel; post-only crossing is a typed rejection; fills move the position', async () => {
    const makerRpc = rpc(MAKER)
    await makerRpc.start()
    const exec = new DeribitExecutionClient(makerRpc)
    const user = new DeribitUserDataStream(makerRpc)
    const orders: Order[] = []
    const fills: Fill[] = []
    user.on('order', (o) => orders.push(o))
    user.on('fill', (f) => fills.push(f))
    await user.subscribe([INSTRUMENT], ['USDC'])
    // a price far below the simulated market (60000 ± a few ticks) rests
    const placed = await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '50000',
      sizeBase: '0.01',
      timeInForce: 'postOnly',
      clientOrderId: 'bid-1',
    })
    expect(placed).toMatchObject({
      state: 'new',
      price: '50000',
      sizeBase: '0.01',
      clientOrderId: 'bid-1',
      timeInForce: 'postOnly',
    })
    const edited = await exec.amendOrder({
      symbol: INSTRUMENT,
      clientOrderId: 'bid-1',
      side: 'buy',
      price: '50000.5',
      sizeBase: '0.02',
    })
    expect(edited).toMatchObject({ price: '50000.5', sizeBase: '0.02', state: 'new' })
    const cancelled = await exec.cancelOrder({ symbol: INSTRUMENT, clientOrderId: 'bid-1' })
    expect(cancelled.state).toBe('canceled')
    await waitFor(() => orders.some((o) => o.clientOrderId === 'bid-1' && o.state === 'canceled'), 'user.orders cancel')

    // crossing post-only: 70000 is above every ask
    const error = await exec
      .placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '70000',
        sizeBase: '0.01',
        timeInForce: 'postOnly',
        clientOrderId: 'x-1',
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PostOnlyRejectedError)
    expect(error).toMatchObject({ venueCode: 11054, clientOrderId: 'x-1' })

    // a resting ask at 70000 is lifted by the taker: the maker's fill arrives and the position goes short 0.003
    await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'sell',
      price: '70000',
      sizeBase: '0.003',
      timeInForce: 'postOnly',
      clientOrderId: 'ask-1',
    })
    const takerRpc = rpc(TAKER)
    await takerRpc.start()
    const taker = new DeribitExecutionClient(takerRpc)
    // the taker's buy at 70000 sweeps the simulated asks below 70000 first, then reaches the maker's ask
    await taker.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '70000',
      sizeBase: '30',
      timeInForce: 'ioc',
      clientOrderId: 'lift-1',
    })
    await waitFor(() => fills.some((f) => f.clientOrderId === 'ask-1'), 'maker fill on user.trades')
    const fill = fills.find((f) => f.clientOrderId === 'ask-1')
    expect(fill).toMatchObject({ price: '70000', sizeBase: '0.003', side: 'sell', isMaker: true })
    const positions = await user.getPositions('USDC')
    expect(positions.find((p) => p.symbol === INSTRUMENT)?.sizeBase).toBe('-0.003')
  })

  it('cancel-on-disconnect: the working orders are cancelled when the socket drops', async () => {
    const quoting = rpc(MAKER, true)
    await quoting.start()
    const exec = new DeribitExecutionClient(quoting)
    await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '40000',
      sizeBase: '0.01',
      timeInForce: 'postOnly',
      clientOrderId: 'cod-1',
    })
    const watcher = rpc(MAKER)
    await watcher.start()
    const openBefore = (await watcher.request('private/get_open_orders_by_instrument', {
      instrument_name: INSTRUMENT,
    })) as Array<{ label: string }>
    expect(openBefore.map((o) => o.label)).toContain('cod-1')
    quoting.close()
    await waitFor(async () => {
      const open = (await watcher.request('private/get_open_orders_by_instrument', {
        instrument_name: INSTRUMENT,
      })) as Array<{ label: string }>
      return !open.some((o) => o.label === 'cod-1')
    }, 'cod-1 cancelled by the venue')
  })

  it('token expiry: the next private request re-authenticates and no private update is lost', async () => {
    const client = rpc(MAKER)
    await client.start()
    const exec = new DeribitExecutionClient(client)
    const user = new DeribitUserDataStream(client)
    const orders: Order[] = []
    user.on('order', (o) => orders.push(o))
    await user.subscribe([INSTRUMENT], [])
    emu.emulator.expireTokens()
    const placed = await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '41000',
      sizeBase: '0.01',
      timeInForce: 'postOnly',
      clientOrderId: 'exp-1',
    })
    expect(placed.state).toBe('new')
    await waitFor(
      () => orders.some((o) => o.clientOrderId === 'exp-1' && o.state === 'new'),
      'user.orders after re-auth',
    )
    await exec.cancelOrder({ symbol: INSTRUMENT, clientOrderId: 'exp-1' })
    await waitFor(() => orders.some((o) => o.clientOrderId === 'exp-1' && o.state === 'canceled'), 'cancel update')
  })

  it('createDeribitConnector wires market data and order entry from configuration alone', async () => {
    const connector = await createDeribitConnector({
      wsUrl: emu.wsUrl,
      credentials: MAKER,
      clock: systemClock,
      random: () => 0.5,
      nonce: () => `f${++nonce}`,
    })
    try {
      await connector.marketData.subscribeBook(INSTRUMENT)
      await waitFor(() => sameBook(connector.marketData.getBook(INSTRUMENT, 5), 5), 'factory book equal')
      const order = await connector.execution?.placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '42000',
        sizeBase: '0.001',
        timeInForce: 'postOnly',
        clientOrderId: 'factory-1',
      })
      expect(order?.state).toBe('new')
      await connector.execution?.cancelAllOrders(INSTRUMENT)
    } finally {
      await connector.close()
    }
  })

  it('refreshes the access token before it expires (refresh_token grant) and streams BBO from ticker', async () => {
    const short = await startDeribitEmulator({
      instruments: [{ instrumentName: INSTRUMENT, tickSize: '0.5', stepSize: '0.001' }],
      accounts: [{ ...MAKER, balances: { USDC: '100000' } }],
      market: { kind: 'simulated', midPrice: '60000', seed: 9, stepMs: 20, levels: 5, tradeProbability: 0 },
      tokenTtlSec: 2,
    })
    const client = new DeribitRpcClient({
      url: short.wsUrl,
      clock: systemClock,
      random: () => 0.5,
      credentials: MAKER,
      nonce: () => `r${++nonce}`,
      requestTimeoutMs: 5_000,
    })
    try {
      await client.start()
      // lifetime 2 s → refresh at 80 % = 1.6 s; the token is renewed without any 13009
      await waitFor(() => short.emulator.refreshGrantCount >= 2, 'two refresh_token grants', 10_000)
      expect(await client.request('private/get_positions', { currency: 'USDC' })).toEqual(expect.any(Array))
      const md = new DeribitMarketDataClient(client)
      const bbos: Array<{ bidPrice: string; askPrice: string }> = []
      md.on('bbo', (b) => bbos.push(b))
      await md.subscribeBbo(INSTRUMENT)
      await waitFor(() => bbos.length > 0, 'a ticker BBO')
      // prices are exact decimals on the 0.5 tick grid, bid below ask
      const grid = new DecimalGrid('0.5')
      expect(grid.toTicks(bbos[0]!.askPrice)).toBeGreaterThan(grid.toTicks(bbos[0]!.bidPrice))
    } finally {
      client.close()
      await short.close()
    }
  })

  it('an unanswered buy is reconciled by label: placed → the order, not placed → OrderNotPlacedError', async () => {
    const client = new DeribitRpcClient({
      url: emu.wsUrl,
      clock: systemClock,
      random: () => 0.5,
      credentials: MAKER,
      nonce: () => `u${++nonce}`,
      requestTimeoutMs: 400,
    })
    clients.push(client)
    await client.start()
    // each buy may start on the venue up to 300 ms (+ 200 ms clock skew) after it is sent
    const exec = new DeribitExecutionClient(client, { createValidForMs: 300, maxClockSkewMs: 200 })
    emu.emulator.swallowNextPrivateResponses = 1
    const placed = await exec.placeOrder({
      symbol: INSTRUMENT,
      side: 'buy',
      price: '43000',
      sizeBase: '0.001',
      timeInForce: 'postOnly',
      clientOrderId: 'lost-1',
    })
    expect(placed).toMatchObject({ clientOrderId: 'lost-1', state: 'new', price: '43000' })
    // rejected by the venue (10040) and the answer lost: the label lookup finds nothing → not placed
    emu.emulator.failNextPrivateRequests(1, 10040, 'retry')
    emu.emulator.swallowNextPrivateResponses = 1
    await expect(
      exec.placeOrder({
        symbol: INSTRUMENT,
        side: 'buy',
        price: '43000',
        sizeBase: '0.001',
        timeInForce: 'postOnly',
        clientOrderId: 'lost-2',
      }),
    ).rejects.toBeInstanceOf(OrderNotPlacedError)
    await exec.cancelOrder({ symbol: INSTRUMENT, clientOrderId: 'lost-1' })
  })
})
