import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import { OrderNotPlacedError, PostOnlyRejectedError } from '../src/errors/order.js'
import { ConnectionClosedError } from '../src/errors/transport.js'
import { configFor, startEmulator, TAKER } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

// Order entry over the WebSocket API (`/ws-fapi/v1`: order.place / order.modify / order.cancel) against the
// @alp/venue-sim Binance emulator, which verifies the WS-API signature (sorted params) and runs the same engine as REST.
let emu: RunningBinanceEmulator
let maker: BinanceConnector
let taker: BinanceConnector
let id = 0
const cid = (tag: string) => `w-${tag}-${++id}`
const MAKER_ACCOUNT = 'futures-0'
const written: string[] = []

beforeAll(async () => {
  emu = await startEmulator()
  maker = await createBinanceConnector(
    configFor(emu, {
      orderEntry: 'wsApi',
      wsApiTimeoutMs: 400,
      onWsApiRequestWritten: (method) => written.push(method),
    }),
    ['ETHUSDT'],
  )
  taker = await createBinanceConnector(configFor(emu, { credentials: TAKER }), ['ETHUSDT'])
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

describe('Binance USDⓈ-M order entry over the WebSocket API', () => {
  it('places, modifies and cancels a post-only order over the socket; the emulator book shows each step', async () => {
    const sentBefore = written.length
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
    const resting = emu.engine.getOrderByClientId(MAKER_ACCOUNT, 'ETHUSDT', placed.clientOrderId)
    expect(resting?.priceTicks).toBe(267_500n) // tick 0.01
    const amended = await maker.execution.amendOrder({
      symbol: 'ETHUSDT',
      clientOrderId: placed.clientOrderId,
      side: 'buy',
      price: '2676.00',
      sizeBase: '0.040',
    })
    expect([amended.orderId, amended.price, amended.sizeBase]).toEqual([placed.orderId, '2676.00', '0.040'])
    const cancelled = await maker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId: placed.clientOrderId })
    expect(cancelled.state).toBe('canceled')
    expect(emu.engine.listOpenOrders(MAKER_ACCOUNT, 'ETHUSDT')).toHaveLength(0)
    // all three went over the WebSocket API (the hook fires only for WS-API frames)
    expect(written.slice(sentBefore)).toEqual(['order.place', 'order.modify', 'order.cancel'])
  })

  it('a crossing post-only order is a typed PostOnlyRejectedError (-5022) and is not recorded', async () => {
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
    expect(emu.engine.getOrderByClientId(MAKER_ACCOUNT, 'ETHUSDT', clientOrderId)).toBeUndefined()
  })

  it('an order.place executed but never answered yields exactly one order (reconciled over REST, no resend)', async () => {
    const clientOrderId = cid('to')
    const sentBefore = written.length
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
    expect(written.slice(sentBefore)).toEqual(['order.place']) // sent once, never again
    expect(
      emu.engine.listOpenOrders(MAKER_ACCOUNT, 'ETHUSDT').filter((o) => o.clientOrderId === clientOrderId),
    ).toHaveLength(1)
    await maker.execution.cancelAllOrders('ETHUSDT')
  })

  it('an order.place never executed and never answered becomes OrderNotPlacedError after recvWindow', async () => {
    const short = await createBinanceConnector(
      configFor(emu, { orderEntry: 'wsApi', wsApiTimeoutMs: 300, recvWindowMs: 500 }),
      ['ETHUSDT'],
    )
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
    expect(emu.engine.getOrderByClientId(MAKER_ACCOUNT, 'ETHUSDT', clientOrderId)).toBeUndefined()
    await short.close()
  })

  it("the limiter takes the venue's per-IP weight count from rateLimits[] (weight spent by another client counts)", async () => {
    // another client on the same IP spends weight over REST: 5 depth snapshots of 1000 levels = 5 × 20
    for (let i = 0; i < 5; i++)
      await taker.http.request({
        method: 'GET',
        path: '/fapi/v1/depth',
        params: [
          ['symbol', 'ETHUSDT'],
          ['limit', '1000'],
        ],
        security: 'NONE',
        cost: { weight: 20 },
        retry: 'safe',
      })
    const ownBefore = maker.http.rateLimiter.used('weight', 60_000)
    await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2650.00',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId: cid('rl'),
    })
    const serverCount = emu.emulator.limiter.usedWeight('127.0.0.1', Date.now())
    expect(serverCount).toBeGreaterThanOrEqual(100)
    // our own requests alone never reach the server's count; the answer's rateLimits[] raised it
    expect(ownBefore).toBeLessThan(100)
    expect(maker.http.rateLimiter.used('weight', 60_000)).toBeGreaterThanOrEqual(serverCount)
    await maker.execution.cancelAllOrders('ETHUSDT')
  })

  it('a dropped socket: no request is written while it is down (ConnectionClosedError), and it reconnects', async () => {
    const ws = maker.wsApi!
    ws.socket.reconnectNow('test drop')
    const error = await maker.execution
      .placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2640.00',
        sizeBase: '0.010',
        timeInForce: 'postOnly',
        clientOrderId: cid('down'),
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionClosedError)
    await waitFor(() => ws.socket.isReady, 'ws-api socket ready again', 5_000)
    const order = await maker.execution.placeOrder({
      symbol: 'ETHUSDT',
      side: 'buy',
      price: '2640.00',
      sizeBase: '0.010',
      timeInForce: 'postOnly',
      clientOrderId: cid('up'),
    })
    expect(order.state).toBe('new')
    await maker.execution.cancelAllOrders('ETHUSDT')
  })
})
