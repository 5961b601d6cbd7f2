import { MDG, TDG } from '@grvt/client'
import { WS } from '@grvt/client/ws'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WsWebSocket from 'ws'
import { type RunningGrvtEmulator, startGrvtEmulator } from '../src/grvt/index.js'

// Acceptance of GRVT's official JavaScript client, npm `@grvt/client` 1.7.0, against the emulator. It speaks GRVT's
// lite protocol only (`/lite/v1/*` REST, the legacy `/ws` framing with lite keys). Unchanged apart from its URLs, with
// what the SDK leaves to its environment supplied here:
// - URLs: `new MDG({ host })` / `new TDG({ host })` take the base URL (the SDK appends `/lite/v1/<name>`);
//   `new WS({ url })` takes the socket URL (the emulator's `wsLegacyUrl`, GRVT's `wss://…/ws`).
// - Login: the SDK has no login call; it relies on the browser's cookie jar (axios `withCredentials`). The test logs in
//   with GRVT's edge call `POST /auth/api_key/login` and puts the session on the SDK's own axios instance (its public
//   `axios` getter): `Cookie: gravity=…` and `X-Grvt-Account-Id`, as a browser would send them.
// - Signing: the SDK has no EIP-712 signing; orders are signed here with ethers' `signTypedData` over GRVT's `Order`
//   types (pysdk `grvt_raw_signing.py`).
// - WebSocket: the SDK uses the global browser `WebSocket`, which Node 20 lacks: the test installs the `ws` package's
//   WebSocket as the global, sending the session cookie on the upgrade as a browser does for its own origin.
const KEY_A = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // pysdk test key
const KEY_B = '0xc0663ca94684aead40c41a1cb3a94b68a24296e87245be3a186e882a29a15ee0'
const SUB_A = '8289849667772468'
const SUB_B = '4110889093865147'
const INSTRUMENT = 'BTC_USDT_Perp'

let emu: RunningGrvtEmulator
let mdg: MDG
let tdgA: TDG
let tdgB: TDG
let sessionA: { cookie: string; accountId: string }
let nonce = 1
const previousWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket
const sockets: WS[] = []

/** The SDK's request types use its own enums; plain GRVT strings are passed (the SDK only renames keys). */
const as = <T>(value: unknown): T => value as T

const ORDER_TYPES = {
  Order: [
    { name: 'subAccountID', type: 'uint64' },
    { name: 'isMarket', type: 'bool' },
    { name: 'timeInForce', type: 'uint8' },
    { name: 'postOnly', type: 'bool' },
    { name: 'reduceOnly', type: 'bool' },
    { name: 'legs', type: 'OrderLeg[]' },
    { name: 'nonce', type: 'uint32' },
    { name: 'expiration', type: 'int64' },
  ],
  OrderLeg: [
    { name: 'assetID', type: 'uint256' },
    { name: 'contractSize', type: 'uint64' },
    { name: 'limitPrice', type: 'uint64' },
    { name: 'isBuyingContract', type: 'bool' },
  ],
}

/** A GTT limit order in the SDK's (full-name) shape, signed by `key` for `sub`. */
async function signedOrder(
  key: string,
  sub: string,
  o: { size: string; price: string; buy: boolean; postOnly: boolean; cid: string },
): Promise<Parameters<TDG['createOrder']>[0]> {
  const wallet = new Wallet(key)
  const n = nonce++
  const expiration = (BigInt(Date.now()) + 3_600_000n) * 1_000_000n
  // GRVT signs size × 10^base_decimals (9 for BTC) and price × 10^9
  const scale = (v: string) => {
    const [i, f = ''] = v.split('.')
    return BigInt(`${i}${f.padEnd(9, '0')}`)
  }
  const sig = await wallet.signTypedData({ name: 'GRVT Exchange', version: '0', chainId: 326 }, ORDER_TYPES, {
    subAccountID: BigInt(sub),
    isMarket: false,
    timeInForce: 1,
    postOnly: o.postOnly,
    reduceOnly: false,
    legs: [{ assetID: 0x030501n, contractSize: scale(o.size), limitPrice: scale(o.price), isBuyingContract: o.buy }],
    nonce: n,
    expiration,
  })
  return as({
    order: {
      sub_account_id: sub,
      is_market: false,
      time_in_force: 'GOOD_TILL_TIME',
      post_only: o.postOnly,
      reduce_only: false,
      legs: [{ instrument: INSTRUMENT, size: o.size, limit_price: o.price, is_buying_asset: o.buy }],
      signature: {
        signer: wallet.address,
        r: `0x${sig.slice(2, 66)}`,
        s: `0x${sig.slice(66, 130)}`,
        v: Number.parseInt(sig.slice(130, 132), 16),
        expiration: expiration.toString(),
        nonce: n,
        chain_id: '326',
      },
      metadata: { client_order_id: o.cid },
    },
  })
}

/** GRVT's edge login (`POST /auth/api_key/login`), which the SDK leaves to the browser. */
async function login(apiKey: string): Promise<{ cookie: string; accountId: string }> {
  const res = await fetch(`${emu.restUrl}/auth/api_key/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: apiKey }),
  })
  expect(res.status).toBe(200)
  return {
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    accountId: res.headers.get('x-grvt-account-id') ?? '',
  }
}

/** A TDG whose own axios instance carries the session, as the browser's cookie jar would. */
function tradingClient(session: { cookie: string; accountId: string }): TDG {
  const tdg = new TDG({ host: emu.restUrl })
  tdg.axios.defaults.headers.common.Cookie = session.cookie
  tdg.axios.defaults.headers.common['X-Grvt-Account-Id'] = session.accountId
  return tdg
}

/** Resolves with the first value `onData` sees that passes `pred` (or rejects after 5 s). */
function firstData<T>(pred: (value: T) => boolean): { onData: (value: T) => void; promise: Promise<T> } {
  let resolve: (value: T) => void = () => {}
  const promise = new Promise<T>((res, reject) => {
    resolve = res
    setTimeout(() => reject(new Error('no matching feed within 5 s')), 5000)
  })
  return { onData: (value) => pred(value) && resolve(value), promise }
}

beforeAll(async () => {
  emu = await startGrvtEmulator({
    instruments: [{ instrument: INSTRUMENT, instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' }],
    accounts: [
      { apiKey: 'key-a', signerPrivateKeys: [KEY_A], subAccountId: SUB_A, balances: { USDT: '100000' } },
      { apiKey: 'key-b', signerPrivateKeys: [KEY_B], subAccountId: SUB_B, balances: { USDT: '100000' } },
    ],
  })
  // other participants: 1.5 BTC bid at 64000.0 and offered at 66000.0
  emu.engine.applyExternalDepth(INSTRUMENT, [[640000n, 1500n]], [[660000n, 1500n]])
  emu.tick()
  // a browser's WebSocket sends the session cookie of its origin on the upgrade
  class BrowserLikeWebSocket extends WsWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: sessionA.cookie, 'x-grvt-account-id': sessionA.accountId } })
    }
  }
  ;(globalThis as { WebSocket?: unknown }).WebSocket = BrowserLikeWebSocket
  mdg = new MDG({ host: emu.restUrl })
  sessionA = await login('key-a')
  tdgA = tradingClient(sessionA)
  tdgB = tradingClient(await login('key-b'))
})

afterAll(async () => {
  for (const ws of sockets) ws.disconnect()
  ;(globalThis as { WebSocket?: unknown }).WebSocket = previousWebSocket
  await emu?.close()
})

describe('@grvt/client 1.7.0 against the GRVT emulator (lite protocol)', () => {
  it('market data: instrument, instruments, ticker, mini ticker and the book top', async () => {
    const instrument = await mdg.instrument({ instrument: INSTRUMENT })
    expect(instrument.result).toMatchObject({
      instrument: INSTRUMENT,
      instrument_hash: '0x030501',
      base: 'BTC',
      quote: 'USDT',
      kind: 'PERPETUAL',
    })
    expect(Number(instrument.result?.tick_size)).toBe(0.1)
    expect(Number(instrument.result?.min_size)).toBe(0.001)
    const all = await mdg.allInstruments({})
    expect(all.result?.map((i) => i.instrument)).toEqual([INSTRUMENT])
    const filtered = await mdg.instruments(as({ kind: ['PERPETUAL'], base: ['BTC'] }))
    expect(filtered.result?.map((i) => i.instrument)).toEqual([INSTRUMENT])

    const book = await mdg.orderBook({ instrument: INSTRUMENT, depth: 10 })
    expect(book.result?.bids?.map((l) => [Number(l.price), Number(l.size)])).toEqual([[64000, 1.5]])
    expect(book.result?.asks?.map((l) => [Number(l.price), Number(l.size)])).toEqual([[66000, 1.5]])

    const ticker = await mdg.ticker({ instrument: INSTRUMENT })
    expect(Number(ticker.result?.best_bid_price)).toBe(64000)
    expect(Number(ticker.result?.best_ask_price)).toBe(66000)
    expect(Number(ticker.result?.mid_price)).toBe(65000)
    const mini = await mdg.miniTicker({ instrument: INSTRUMENT })
    expect([Number(mini.result?.best_bid_size), Number(mini.result?.best_ask_size)]).toEqual([1.5, 1.5])
  })

  it('auth: without the session the private calls fail with GRVT code 1000; with it they answer', async () => {
    const anonymous = new TDG({ host: emu.restUrl })
    const failure = await anonymous.openOrders(as({ sub_account_id: SUB_A })).catch((error: unknown) => error)
    // the SDK maps the lite error body ({c, m, s}) back to full names on the axios error
    expect(failure).toMatchObject({ response: { status: 401, data: { code: 1000 } } })
    expect((await tdgA.openOrders(as({ sub_account_id: SUB_A }))).result).toEqual([])
  })

  it('create order → shows in open orders with its price and size → cancel → gone; the book follows', async () => {
    const created = await tdgA.createOrder(
      await signedOrder(KEY_A, SUB_A, { size: '0.02', price: '64500.5', buy: true, postOnly: true, cid: '1001' }),
    )
    expect(created.result?.state?.status).toBe('OPEN')
    expect(created.result?.metadata?.client_order_id).toBe('1001')
    const orderId = created.result?.order_id
    expect(orderId).toMatch(/^0x[0-9a-f]+$/)

    const open = await tdgA.openOrders(as({ sub_account_id: SUB_A }))
    expect(open.result).toHaveLength(1)
    const [order] = open.result ?? []
    expect(order?.order_id).toBe(orderId)
    expect(order?.sub_account_id).toBe(SUB_A)
    expect(order?.legs?.[0]?.instrument).toBe(INSTRUMENT)
    expect(Number(order?.legs?.[0]?.limit_price)).toBe(64500.5)
    expect(Number(order?.legs?.[0]?.size)).toBe(0.02)
    expect(order?.legs?.[0]?.is_buying_asset).toBe(true)
    expect(order?.post_only).toBe(true)
    // the new best bid is the order
    const book = await mdg.orderBook({ instrument: INSTRUMENT, depth: 10 })
    expect([Number(book.result?.bids?.[0]?.price), Number(book.result?.bids?.[0]?.size)]).toEqual([64500.5, 0.02])
    const fetched = await tdgA.order(as({ sub_account_id: SUB_A, order_id: orderId }))
    expect(fetched.result?.order_id).toBe(orderId)

    // GRVT's API spec answers cancel_order with {result: {ack: true}} (so does the emulator); @grvt/client 1.7.0 types
    // the answer as an Order, so its decoded `result` carries no named field: the cancel is checked by its effect
    const cancelled = await tdgA.cancelOrder(as({ sub_account_id: SUB_A, order_id: orderId }))
    expect(cancelled.result).toBeDefined()
    expect((await tdgA.openOrders(as({ sub_account_id: SUB_A }))).result).toEqual([])
    const after = await mdg.orderBook({ instrument: INSTRUMENT, depth: 10 })
    expect(Number(after.result?.bids?.[0]?.price)).toBe(64000)
  })

  it("a trade between two sub-accounts shows in trades, trade history, klines and the maker's fill history", async () => {
    const startNs = BigInt(Date.now()) * 1_000_000n
    await tdgA.createOrder(
      await signedOrder(KEY_A, SUB_A, { size: '0.01', price: '65000.1', buy: true, postOnly: true, cid: '1002' }),
    )
    const taker = await tdgB.createOrder(
      await signedOrder(KEY_B, SUB_B, { size: '0.01', price: '65000.1', buy: false, postOnly: false, cid: '2001' }),
    )
    expect(taker.result?.state?.status).toBe('FILLED')

    const trades = await mdg.trade({ instrument: INSTRUMENT, limit: 10 })
    expect(trades.result).toHaveLength(1)
    expect(Number(trades.result?.[0]?.price)).toBe(65000.1)
    expect(Number(trades.result?.[0]?.size)).toBe(0.01)
    expect(trades.result?.[0]?.is_taker_buyer).toBe(false)
    const history = await mdg.tradesHistory({ instrument: INSTRUMENT, start_time: String(startNs) })
    expect(history.result?.map((t) => Number(t.price))).toEqual([65000.1])

    const klines = await mdg.candlestick(as({ instrument: INSTRUMENT, interval: 'CI_1_M', type: 'TRADE', limit: 5 }))
    const traded = klines.result?.filter((c) => Number(c.volume_b) > 0) ?? []
    expect(traded).toHaveLength(1)
    expect(traded.map((c) => [c.open, c.high, c.low, c.close].map(Number))).toEqual([
      [65000.1, 65000.1, 65000.1, 65000.1],
    ])
    expect(Number(traded[0]?.volume_b)).toBe(0.01)
    expect(Number(traded[0]?.volume_q)).toBeCloseTo(650.001, 9)

    const fills = await tdgA.fillHistory(as({ sub_account_id: SUB_A }))
    expect(fills.result).toHaveLength(1)
    expect(fills.result?.[0]).toMatchObject({ is_buyer: true, is_taker: false, instrument: INSTRUMENT })
    expect(Number(fills.result?.[0]?.price)).toBe(65000.1)
    // maker rebate 0.01 % of 650.001 USDT
    expect(Number(fills.result?.[0]?.fee)).toBeCloseTo(-0.0650001, 9)
    const positions = await tdgA.positions(as({ sub_account_id: SUB_A }))
    expect(Number(positions.result?.[0]?.size)).toBe(0.01)
  })

  it('WebSocket: book.d and mini.s subscriptions deliver the book and the top of book in full names', async () => {
    const ws = new WS({ url: emu.wsLegacyUrl, reconnectStrategy: () => 1000 })
    sockets.push(ws)
    ws.connect()
    const book = firstData<{ bids?: Array<{ price?: string; size?: string }>; instrument?: string }>(
      (feed) => (feed.bids?.length ?? 0) > 0,
    )
    ws.subscribe({ stream: 'book.d', params: { instrument: INSTRUMENT, rate: 500 }, onData: book.onData })
    const snapshot = await book.promise
    expect(snapshot.instrument).toBe(INSTRUMENT)
    expect(snapshot.bids?.map((l) => [Number(l.price), Number(l.size)])).toEqual([[64000, 1.5]])

    const mini = firstData<{ best_ask_price?: string }>((feed) => feed.best_ask_price !== undefined)
    ws.subscribe({ stream: 'mini.s', params: { instrument: INSTRUMENT, rate: 500 }, onData: mini.onData })
    expect(Number((await mini.promise).best_ask_price)).toBe(66000)
  })

  it('WebSocket (session cookie on the upgrade): the order stream shows a new order of the sub-account', async () => {
    const ws = new WS({ url: emu.wsLegacyUrl, reconnectStrategy: () => 1000 })
    sockets.push(ws)
    ws.connect()
    await ws.ready()
    const seen = firstData<{ metadata?: { client_order_id?: string }; legs?: Array<{ limit_price?: string }> }>(
      (feed) => feed.metadata?.client_order_id === '1003',
    )
    ws.subscribe({ stream: 'order', params: { sub_account_id: SUB_A }, onData: seen.onData })
    // the subscription is live once the emulator counts it
    for (let i = 0; i < 50 && emu.emulator.subscriptionCount('v1.order') === 0; i++)
      await new Promise((r) => setTimeout(r, 20))
    await tdgA.createOrder(
      await signedOrder(KEY_A, SUB_A, { size: '0.01', price: '63000', buy: true, postOnly: true, cid: '1003' }),
    )
    expect(Number((await seen.promise).legs?.[0]?.limit_price)).toBe(63000)
  })
})
