import { createHmac } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws'
import { type BinanceConnector, createBinanceConnector } from '../src/binance/createBinanceConnector.js'
import { binanceUrlsFromBases } from '../src/binance/urls.js'
import type { BinanceSpotUserDataStream } from '../src/binance/ws/spotUserData.js'
import type { Balance, Fill } from '../src/common/types/account.js'
import type { Order } from '../src/common/types/order.js'
import { configFor, MAKER, startEmulator, TAKER } from './src/emulator.js'
import { waitFor } from './src/waitFor.js'

/*
 * Spot user data through the WebSocket API, two ways: (1) a minimal local WS-API endpoint that checks
 * `userDataStream.subscribe.signature` with its own HMAC computation (sorted params, the documented rule) and pushes
 * Binance's documented example events; (2) the emulator's own `/ws-api/v3`, with real orders and a real fill.
 */
const executionReport = {
  e: 'executionReport',
  E: 1499405658658,
  s: 'ETHBTC',
  c: 'mUvoqJxFIILMdfAW5iGSOW',
  S: 'BUY',
  o: 'LIMIT',
  f: 'GTC',
  q: '1.00000000',
  p: '0.10264410',
  P: '0.00000000',
  F: '0.00000000',
  g: -1,
  C: '',
  x: 'NEW',
  X: 'NEW',
  r: 'NONE',
  i: 4293153,
  l: '0.00000000',
  z: '0.00000000',
  L: '0.00000000',
  n: '0',
  N: null,
  T: 1499405658657,
  t: -1,
  I: 8641984,
  w: true,
  m: false,
  M: false,
  O: 1499405658657,
  Z: '0.00000000',
  Y: '0.00000000',
  Q: '0.00000000',
  W: 1499405658657,
  V: 'NONE',
} // Binance spot user-data-stream.md "Order Update" example
const accountPosition = {
  e: 'outboundAccountPosition',
  E: 1564034571105,
  u: 1564034571073,
  B: [{ a: 'ETH', f: '10000.000000', l: '250.500000' }],
} // Binance spot docs "Account Update" example (locked set to 250.5 to exercise the sum)

let emu: RunningBinanceEmulator
let server: WebSocketServer
let spot: BinanceConnector
const subscribeRequests: { valid: boolean }[] = []
const sockets: ServerSocket[] = []

beforeAll(async () => {
  emu = await startEmulator()
  server = await new Promise<WebSocketServer>((resolve) => {
    const s: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => resolve(s))
  })
  server.on('connection', (socket) => {
    sockets.push(socket)
    socket.on('message', (raw) => {
      const req = JSON.parse(raw.toString()) as { id: string; method: string; params: Record<string, string | number> }
      const { signature, ...rest } = req.params
      const payload = Object.keys(rest)
        .sort()
        .map((k) => `${k}=${rest[k]}`)
        .join('&')
      const valid =
        req.method === 'userDataStream.subscribe.signature' &&
        rest.apiKey === MAKER.apiKey &&
        signature === createHmac('sha256', MAKER.apiSecret).update(payload).digest('hex')
      subscribeRequests.push({ valid })
      socket.send(
        JSON.stringify(
          valid
            ? { id: req.id, status: 200, result: { subscriptionId: 0 } }
            : { id: req.id, status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } },
        ),
      )
    })
  })
  const port = (server.address() as AddressInfo).port
  const urls = { ...binanceUrlsFromBases('spot', emu.restUrl, emu.wsUrl), wsApiUrl: `ws://127.0.0.1:${port}` }
  spot = await createBinanceConnector(configFor(emu, { product: 'spot', urls }), ['ETHUSDT'])
})

afterAll(async () => {
  await spot?.close()
  for (const s of server?.clients ?? []) s.terminate()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  await emu?.close()
})

describe('spot user data via userDataStream.subscribe.signature', () => {
  it('subscribes with a valid signature, reconciles over REST, and normalises order and balance events', async () => {
    const stream = spot.userData as BinanceSpotUserDataStream
    const orders: Order[] = []
    const fills: Fill[] = []
    const balances: Balance[] = []
    let reconciled = 0
    stream.on('order', (o) => orders.push(o))
    stream.on('fill', (f) => fills.push(f))
    stream.on('balance', (b) => balances.push(b))
    stream.on('reconciled', () => reconciled++)
    await stream.start()
    expect(subscribeRequests).toEqual([{ valid: true }])
    expect(reconciled).toBe(1)

    sockets[0]!.send(JSON.stringify({ subscriptionId: 0, event: executionReport }))
    sockets[0]!.send(JSON.stringify({ subscriptionId: 0, event: accountPosition }))
    sockets[0]!.send('{"subscriptionId":0,"event":{"e":"executionReport"') // malformed: reported, not fatal
    await waitFor(() => orders.length === 1 && balances.length === 1, 'order and balance events')
    expect(orders[0]).toMatchObject({
      symbol: 'ETHBTC',
      clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW',
      orderId: '4293153',
      side: 'buy',
      price: '0.10264410',
      sizeBase: '1.00000000',
      state: 'new',
    })
    expect(fills).toHaveLength(0)
    expect(balances[0]).toMatchObject({ asset: 'ETH', available: '10000.000000', wallet: '10250.500000' })

    // the venue drops the connection: the client reconnects, re-subscribes and reconciles again
    sockets[0]!.terminate()
    await waitFor(() => subscribeRequests.length === 2 && reconciled === 2, 're-subscription after reconnect')
    expect(subscribeRequests[1]).toEqual({ valid: true })
  })
})

describe("spot user data via the emulator's /ws-api/v3 (real orders, a real fill)", () => {
  it('streams our order as new, then the taker fill and the balances, after a signed subscription', async () => {
    const maker = await createBinanceConnector(configFor(emu, { product: 'spot' }), ['ETHUSDT'])
    const taker = await createBinanceConnector(configFor(emu, { product: 'spot', credentials: TAKER }), ['ETHUSDT'])
    try {
      const stream = maker.userData as BinanceSpotUserDataStream
      const orders: Order[] = []
      const fills: Fill[] = []
      const balances: Balance[] = []
      stream.on('order', (o) => orders.push(o))
      stream.on('fill', (f) => fills.push(f))
      stream.on('balance', (b) => balances.push(b))
      await stream.start()
      await maker.execution.placeOrder({
        symbol: 'ETHUSDT',
        side: 'sell',
        price: '2700.00',
        sizeBase: '0.5000',
        timeInForce: 'postOnly',
        clientOrderId: 'spot-ask-1',
      })
      await waitFor(() => orders.some((o) => o.clientOrderId === 'spot-ask-1' && o.state === 'new'), 'our order as new')
      // the taker buys 0.2 ETH at our price: a maker fill of 0.2 at 2700.00 for us
      await taker.execution.placeOrder({
        symbol: 'ETHUSDT',
        side: 'buy',
        price: '2700.00',
        sizeBase: '0.2000',
        timeInForce: 'ioc',
        clientOrderId: 'spot-lift-1',
      })
      await waitFor(() => fills.length === 1, 'the maker fill')
      // spot reports decimals at the asset precision (8), as Binance spot does
      expect(fills[0]).toMatchObject({
        clientOrderId: 'spot-ask-1',
        side: 'sell',
        price: '2700.00000000',
        isMaker: true,
      })
      expect(Number(fills[0]!.sizeBase)).toBe(0.2)
      await waitFor(
        () => orders.some((o) => o.clientOrderId === 'spot-ask-1' && o.state === 'partiallyFilled'),
        'the order partially filled',
      )
      // balances pushed by outboundAccountPosition: ETH 2 − 0.5 (0.3 still locked in the ask), USDT +540 minus the fee
      await waitFor(() => balances.some((b) => b.asset === 'ETH'), 'an ETH balance update')
      const eth = balances.filter((b) => b.asset === 'ETH').at(-1)!
      expect(Number(eth.wallet)).toBeCloseTo(1.8, 9)
      expect(Number(eth.available)).toBeCloseTo(1.5, 9)
      await maker.execution.cancelAllOrders('ETHUSDT')
    } finally {
      await maker.close()
      await taker.close()
    }
  })
})
