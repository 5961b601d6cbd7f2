import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  GRVT_LITE_ENDPOINTS,
  GRVT_LITE_STREAMS,
  GRVT_LITE_STRUCTS,
  grvtFullToLite,
  grvtLiteToFull,
  type RunningGrvtEmulator,
  startGrvtEmulator,
} from '../src/grvt/index.js'

// GRVT's lite protocol beside full: /lite/v1/<name> REST with short keys, /ws/lite JSON-RPC with short keys and the
// legacy /ws framing ({request_id, stream, feed, method, is_full}). The expected short keys below are written out from
// GRVT's documentation (gravity-technologies/api-spec @eed18e5, artifacts/apidocs/*.md: the "Lite" column of each
// struct and the "Lite Request" / "Lite Response" examples), never read back from the emulator.
const DOC_LITE = {
  InstrumentDisplay: [
    'i',
    'ih',
    'b',
    'q',
    'k',
    'v',
    'sp1',
    'bd',
    'qd',
    'ts',
    'ms',
    'ct',
    'mp',
    'fi',
    'af',
    'af1',
    'mn',
  ],
  OrderbookLevels: ['et', 'i', 'b', 'a'],
  OrderbookLevel: ['p', 's', 'no'],
  MiniTicker: ['et', 'i', 'mp', 'ip', 'lp', 'ls', 'mp1', 'bb', 'bb1', 'ba', 'ba1'],
  Order: ['oi', 'sa', 'im', 'ti', 'po', 'ro', 'l', 's', 'm', 's1', 'b', 'bf'],
  OrderLeg: ['i', 's', 'lp', 'ib'],
  Signature: ['s', 'r', 's1', 'v', 'e', 'n', 'ci'],
  OrderMetadata: ['co', 'ct', 't', 'b'],
  OrderState: ['s', 'rr', 'bs', 'ts', 'ut', 'af'],
  // REST error bodies ("Lite Error Response" in trading_api.md: {ri, c, m, s})
  Error: ['ri', 'c', 'm', 's'],
  WSFeed: ['s', 's1', 'sn', 'f', 'ps'],
  WSSubscribeResult: ['s', 's1', 'u', 'ns', 'fs', 'ls'],
  JSONRPCResponse: ['j', 'r', 'e', 'i', 'm'],
} as const
// `min_block_trade_size` is newer than the api-spec snapshot; @grvt/client 1.7.0's schema map names it `mb`.
const INSTRUMENT_KEYS = [...DOC_LITE.InstrumentDisplay, 'mb']

/** A parsed JSON answer: the assertions index it by lite keys, which are checked at run time. */
// biome-ignore lint/suspicious/noExplicitAny: wire JSON of unknown shape, indexed freely by the assertions
type Json = any

const KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // pysdk test key
const SUB = '8289849667772468'
let emu: RunningGrvtEmulator
let cookie = ''
let accountId = ''
let nonce = 1

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

/** A post-only GTT limit order written directly in lite keys, as GRVT's "Lite Request" example of create_order. */
async function liteOrder(o: {
  size: string
  price: string
  buy: boolean
  cid: string
  postOnly?: boolean
}): Promise<unknown> {
  const wallet = new Wallet(KEY)
  const n = nonce++
  const expiration = (BigInt(Date.now()) + 3_600_000n) * 1_000_000n
  const scale = (v: string) => {
    const [i, f = ''] = v.split('.')
    return BigInt(`${i}${f.padEnd(9, '0')}`)
  }
  const sig = await wallet.signTypedData({ name: 'GRVT Exchange', version: '0', chainId: 326 }, ORDER_TYPES, {
    subAccountID: BigInt(SUB),
    isMarket: false,
    timeInForce: 1,
    postOnly: o.postOnly ?? true,
    reduceOnly: false,
    legs: [{ assetID: 0x030501n, contractSize: scale(o.size), limitPrice: scale(o.price), isBuyingContract: o.buy }],
    nonce: n,
    expiration,
  })
  return {
    o: {
      sa: SUB,
      im: false,
      ti: 'GOOD_TILL_TIME',
      po: o.postOnly ?? true,
      ro: false,
      l: [{ i: 'BTC_USDT_Perp', s: o.size, lp: o.price, ib: o.buy }],
      s: {
        s: wallet.address,
        r: `0x${sig.slice(2, 66)}`,
        s1: `0x${sig.slice(66, 130)}`,
        v: Number.parseInt(sig.slice(130, 132), 16),
        e: expiration.toString(),
        n,
        ci: '326',
      },
      m: { co: o.cid },
    },
  }
}

async function post(path: string, body: unknown, auth = true): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${emu.restUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { cookie, 'x-grvt-account-id': accountId } : {}) },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

function keysWithin(value: unknown, allowed: readonly string[]): void {
  expect(value).toBeTypeOf('object')
  for (const key of Object.keys(value as object)) expect(allowed).toContain(key)
}

/** Opens a socket on `path` and collects its JSON frames. */
async function openSocket(
  path: string,
): Promise<{ ws: WebSocket; frames: Json[]; next(pred: (f: Json) => boolean): Promise<Json> }> {
  const ws = new WebSocket(`${emu.restUrl.replace('http', 'ws')}${path}`)
  const frames: Json[] = []
  const waiters: Array<{ pred: (f: Json) => boolean; resolve: (f: Json) => void }> = []
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString())
    frames.push(frame)
    for (const w of [...waiters])
      if (w.pred(frame)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(frame)
      }
  })
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  const next = (pred: (f: Json) => boolean) =>
    new Promise<Json>((resolve, reject) => {
      const seen = frames.find(pred)
      if (seen) return resolve(seen)
      const timer = setTimeout(() => reject(new Error(`no matching frame; got ${JSON.stringify(frames)}`)), 5000)
      waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer)
          resolve(f)
        },
      })
    })
  return { ws, frames, next }
}

beforeAll(async () => {
  emu = await startGrvtEmulator({
    instruments: [{ instrument: 'BTC_USDT_Perp', instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' }],
    accounts: [{ apiKey: 'key-1', signerPrivateKeys: [KEY], subAccountId: SUB, balances: { USDT: '100000' } }],
  })
  // best bid 65000.0 × 1.000, best ask 65001.0 × 1.000 (ticks of 0.1, lots of 0.001)
  emu.engine.applyExternalDepth('BTC_USDT_Perp', [[650000n, 1000n]], [[650010n, 1000n]])
  emu.tick()
  const res = await fetch(`${emu.restUrl}/auth/api_key/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: 'key-1' }),
  })
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  accountId = res.headers.get('x-grvt-account-id') ?? ''
})

afterAll(async () => {
  await emu.close()
})

describe('GRVT lite REST (/lite/v1/*)', () => {
  it('instrument: the request and the answer use the documented short keys', async () => {
    const res = await post('/lite/v1/instrument', { i: 'BTC_USDT_Perp' }, false)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['r'])
    keysWithin(res.body.r, INSTRUMENT_KEYS)
    expect(res.body.r).toMatchObject({ i: 'BTC_USDT_Perp', ih: '0x030501', b: 'BTC', q: 'USDT', k: 'PERPETUAL' })
    expect(Number(res.body.r.ts)).toBe(0.1)
    expect(Number(res.body.r.ms)).toBe(0.001)
  })

  it('book: levels as {p, s, no} under b / a, the configured top of book', async () => {
    const res = await post('/lite/v1/book', { i: 'BTC_USDT_Perp', d: 10 }, false)
    expect(res.status).toBe(200)
    keysWithin(res.body.r, DOC_LITE.OrderbookLevels)
    for (const level of [...res.body.r.b, ...res.body.r.a]) keysWithin(level, DOC_LITE.OrderbookLevel)
    expect([Number(res.body.r.b[0].p), Number(res.body.r.b[0].s)]).toEqual([65000, 1])
    expect([Number(res.body.r.a[0].p), Number(res.body.r.a[0].s)]).toEqual([65001, 1])
  })

  it('mini: the mini ticker in short keys', async () => {
    const res = await post('/lite/v1/mini', { i: 'BTC_USDT_Perp' }, false)
    keysWithin(res.body.r, DOC_LITE.MiniTicker)
    expect(Number(res.body.r.bb)).toBe(65000)
    expect(Number(res.body.r.ba)).toBe(65001)
    expect(Number(res.body.r.mp1)).toBe(65000.5)
  })

  it('create_order, open_orders, cancel_order in lite: the order rests, shows, and is gone after the cancel', async () => {
    const created = await post(
      '/lite/v1/create_order',
      await liteOrder({ size: '0.01', price: '64000', buy: true, cid: '701' }),
    )
    expect(created.status).toBe(200)
    keysWithin(created.body.r, DOC_LITE.Order)
    keysWithin(created.body.r.s1, DOC_LITE.OrderState)
    keysWithin(created.body.r.m, DOC_LITE.OrderMetadata)
    keysWithin(created.body.r.s, DOC_LITE.Signature)
    expect(created.body.r.s1.s).toBe('OPEN')
    expect(created.body.r.m.co).toBe('701')

    const open = await post('/lite/v1/open_orders', { sa: SUB })
    expect(open.status).toBe(200)
    expect(open.body.r).toHaveLength(1)
    keysWithin(open.body.r[0].l[0], DOC_LITE.OrderLeg)
    expect(open.body.r[0].oi).toBe(created.body.r.oi)
    expect(open.body.r[0].l[0].i).toBe('BTC_USDT_Perp')
    expect(Number(open.body.r[0].l[0].lp)).toBe(64000)
    expect(Number(open.body.r[0].l[0].s)).toBe(0.01)
    expect(open.body.r[0].l[0].ib).toBe(true)

    const cancelled = await post('/lite/v1/cancel_order', { sa: SUB, co: '701' })
    expect(cancelled).toEqual({ status: 200, body: { r: { a: true } } })
    expect((await post('/lite/v1/open_orders', { sa: SUB })).body).toEqual({ r: [] })
  })

  it('errors come back as {c, m, s}: no session → 401 code 1000, unknown endpoint → 404 code 1004', async () => {
    const anonymous = await post('/lite/v1/open_orders', { sa: SUB }, false)
    expect(anonymous.status).toBe(401)
    keysWithin(anonymous.body, DOC_LITE.Error)
    expect(anonymous.body).toMatchObject({ c: 1000, s: 401 })
    expect(anonymous.body.m).toBeTypeOf('string')
    const unknown = await post('/lite/v1/no_such_endpoint', {}, false)
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ c: 1004, s: 404 })
  })

  it('a tampered lite order is refused like a full one (the lite keys reach the signature check)', async () => {
    const order = (await liteOrder({ size: '0.01', price: '64000', buy: true, cid: '702' })) as { o: Json }
    order.o.l[0].s = '0.02'
    const res = await post('/lite/v1/create_order', order)
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ c: 2002 })
  })
})

describe('GRVT lite WebSocket framing', () => {
  it('/ws/lite JSON-RPC: {j, m, p: {s, s1}, i} subscribes; the answer and the book feed use short keys', async () => {
    const { ws, next } = await openSocket('/ws/lite')
    ws.send(JSON.stringify({ j: '2.0', m: 'subscribe', p: { s: 'v1.book.d', s1: ['BTC_USDT_Perp@500'] }, i: 7 }))
    const answer = await next((f) => f.i === 7)
    keysWithin(answer, DOC_LITE.JSONRPCResponse)
    keysWithin(answer.r, DOC_LITE.WSSubscribeResult)
    expect(answer.r).toMatchObject({ s: 'v1.book.d', s1: ['BTC_USDT_Perp@500'] })
    const snapshot = await next((f) => f.s === 'v1.book.d' && f.f !== undefined)
    keysWithin(snapshot, DOC_LITE.WSFeed)
    expect(snapshot.s1).toBe('BTC_USDT_Perp@500')
    expect(snapshot.sn).toBe('0')
    keysWithin(snapshot.f, DOC_LITE.OrderbookLevels)
    expect(Number(snapshot.f.b[0].p)).toBe(65000)
    expect(Number(snapshot.f.a[0].p)).toBe(65001)
    ws.send(JSON.stringify({ j: '2.0', m: 'subscribe', p: { s: 'v1.nothing', s1: ['x'] }, i: 8 }))
    const refused = await next((f) => f.i === 8)
    expect(refused.e).toMatchObject({ c: 1004 })
    ws.close()
  })

  it('legacy /ws: is_full false (the default) answers {ri, s, s1, …} and lite feeds; is_full true keeps full keys', async () => {
    const { ws, next } = await openSocket('/ws')
    ws.send(JSON.stringify({ request_id: 3, stream: 'v1.mini.s', feed: ['BTC_USDT_Perp@500'], method: 'subscribe' }))
    const answer = await next((f) => f.ri === 3)
    expect(answer).toMatchObject({ s: 'v1.mini.s', s1: ['BTC_USDT_Perp@500'] })
    const feed = await next((f) => f.s === 'v1.mini.s' && f.f !== undefined)
    keysWithin(feed, DOC_LITE.WSFeed)
    keysWithin(feed.f, DOC_LITE.MiniTicker)
    expect(Number(feed.f.bb)).toBe(65000)

    ws.send(
      JSON.stringify({
        request_id: 4,
        stream: 'v1.ticker.s',
        feed: ['BTC_USDT_Perp@500'],
        method: 'subscribe',
        is_full: true,
      }),
    )
    const fullAnswer = await next((f) => f.request_id === 4)
    expect(fullAnswer).toMatchObject({ stream: 'v1.ticker.s', subs: ['BTC_USDT_Perp@500'] })
    const fullFeed = await next((f) => f.stream === 'v1.ticker.s' && f.feed !== undefined)
    expect(Number(fullFeed.feed.best_bid_price)).toBe(65000)

    // a frame that is not JSON (the official client's "ping") → the legacy error 1003, in short keys
    ws.send('ping')
    expect(await next((f) => f.c === 1003)).toMatchObject({ c: 1003, s: 400 })
    ws.close()
  })
})

describe('the full ↔ lite mapping table', () => {
  it('names every lite key once per struct, and every struct it refers to exists', () => {
    for (const [struct, fields] of Object.entries(GRVT_LITE_STRUCTS)) {
      const lite = Object.values(fields).map((f) => (typeof f === 'string' ? f : f[0]))
      expect(new Set(lite).size, struct).toBe(lite.length)
      for (const f of Object.values(fields)) if (typeof f !== 'string') expect(GRVT_LITE_STRUCTS).toHaveProperty(f[1])
    }
    for (const [req, res] of Object.values(GRVT_LITE_ENDPOINTS)) {
      expect(GRVT_LITE_STRUCTS).toHaveProperty(req)
      expect(GRVT_LITE_STRUCTS).toHaveProperty(res)
    }
    for (const feed of Object.values(GRVT_LITE_STREAMS)) expect(GRVT_LITE_STRUCTS).toHaveProperty(feed)
  })

  it('covers every endpoint and stream the emulator serves in full', () => {
    const served = [
      ...['instrument', 'all_instruments', 'instruments', 'book', 'ticker', 'mini', 'trade', 'trade_history', 'kline'],
      ...['funding', 'currency', 'create_order', 'cancel_order', 'cancel_all_orders', 'open_orders', 'order'],
      ...['order_history', 'fill_history', 'positions', 'account_summary', 'cancel_on_disconnect', 'get_sub_accounts'],
      ...['aggregated_account_summary', 'authorize_builder', 'get_authorized_builders', 'set_initial_leverage'],
      'get_all_initial_leverage',
    ]
    expect(Object.keys(GRVT_LITE_ENDPOINTS).sort()).toEqual(served.sort())
    expect(Object.keys(GRVT_LITE_STREAMS).sort()).toEqual(
      [
        'v1.book.d',
        'v1.trade',
        'v1.ticker.s',
        'v1.ticker.d',
        'v1.mini.s',
        'v1.mini.d',
        'v1.candle',
        'v1.order',
        'v1.fill',
        'v1.position',
      ].sort(),
    )
  })

  it('translates GRVT documented lite examples to full and back (create_order "Lite Request")', () => {
    const lite = {
      o: {
        sa: '1',
        im: false,
        ti: 'GOOD_TILL_TIME',
        po: false,
        ro: false,
        l: [{ i: 'BTC_USDT_Perp', s: '10.5', lp: '65038.01', ib: true }],
        s: { s: '0xc7', r: '0xb7', s1: '0x3d', v: 28, e: '1697788800000000000', n: 1234567890, ci: '325' },
        m: {
          co: '23042',
          ct: '1697788800000000000',
          t: { tt: 'TAKE_PROFIT', t: { tb: 'LAST', tp: '65038.10', cp: false, is: false } },
          b: 'BROKER_CODE',
        },
        b: '0xmain',
        bf: '0.001',
      },
    }
    const full = grvtLiteToFull(lite, 'ApiCreateOrderRequest') as Json
    expect(full.order.legs[0]).toEqual({
      instrument: 'BTC_USDT_Perp',
      size: '10.5',
      limit_price: '65038.01',
      is_buying_asset: true,
    })
    expect(full.order.signature).toEqual({
      signer: '0xc7',
      r: '0xb7',
      s: '0x3d',
      v: 28,
      expiration: '1697788800000000000',
      nonce: 1234567890,
      chain_id: '325',
    })
    expect(full.order.metadata.trigger).toEqual({
      trigger_type: 'TAKE_PROFIT',
      tpsl: { trigger_by: 'LAST', trigger_price: '65038.10', close_position: false, is_split_position: false },
    })
    expect(full.order).toMatchObject({
      sub_account_id: '1',
      time_in_force: 'GOOD_TILL_TIME',
      builder: '0xmain',
      builder_fee: '0.001',
    })
    expect(grvtFullToLite(full, 'ApiCreateOrderRequest')).toEqual(lite)
  })

  it("every field of the emulator's full answers and feeds has a lite name (full → lite → full loses nothing)", async () => {
    // full streams on a session socket, to collect one feed of each
    const ws = new WebSocket(emu.wsUrl, { headers: { cookie, 'x-grvt-account-id': accountId } })
    const feeds: Json[] = []
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      if (frame.feed !== undefined) feeds.push(frame)
    })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const streams = Object.keys(GRVT_LITE_STREAMS)
    for (const [i, stream] of streams.entries()) {
      const selector = ['v1.order', 'v1.fill', 'v1.position'].includes(stream)
        ? SUB
        : stream === 'v1.candle'
          ? 'BTC_USDT_Perp@CI_1_M-TRADE'
          : 'BTC_USDT_Perp@100'
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'subscribe', params: { stream, selectors: [selector] }, id: i }))
    }
    await post(
      '/full/v1/create_order',
      grvtLiteToFull(await liteOrder({ size: '0.01', price: '64000', buy: true, cid: '703' }), 'ApiCreateOrderRequest'),
    )
    // a taker sell into the 65000.0 bid of other participants: a trade, a fill and a position
    const taker = await post(
      '/full/v1/create_order',
      grvtLiteToFull(
        await liteOrder({ size: '0.001', price: '65000', buy: false, cid: '704', postOnly: false }),
        'ApiCreateOrderRequest',
      ),
    )
    expect(taker.body.result.state.status).toBe('FILLED')
    for (let i = 0; i < 100 && !streams.every((s) => feeds.some((f) => f.stream === s)); i++) {
      emu.tick()
      await new Promise((r) => setTimeout(r, 20))
    }
    ws.close()
    for (const stream of streams) {
      const feed = feeds.find((f) => f.stream === stream)
      expect(feed, stream).toBeDefined()
      const struct = GRVT_LITE_STREAMS[stream as keyof typeof GRVT_LITE_STREAMS]
      expect(grvtLiteToFull(grvtFullToLite(feed, struct), struct), stream).toEqual(feed)
    }
    const calls: Array<[string, unknown]> = [
      ['instrument', { instrument: 'BTC_USDT_Perp' }],
      ['all_instruments', {}],
      ['book', { instrument: 'BTC_USDT_Perp' }],
      ['ticker', { instrument: 'BTC_USDT_Perp' }],
      ['mini', { instrument: 'BTC_USDT_Perp' }],
      ['trade', { instrument: 'BTC_USDT_Perp' }],
      ['trade_history', { instrument: 'BTC_USDT_Perp' }],
      ['currency', {}],
      ['funding', { instrument: 'BTC_USDT_Perp' }],
      ['kline', { instrument: 'BTC_USDT_Perp', interval: 'CI_1_M' }],
      ['open_orders', { sub_account_id: SUB }],
      ['order', { sub_account_id: SUB, client_order_id: '703' }],
      ['order_history', { sub_account_id: SUB }],
      ['fill_history', { sub_account_id: SUB }],
      ['positions', { sub_account_id: SUB }],
      ['account_summary', { sub_account_id: SUB }],
      ['get_sub_accounts', {}],
      ['get_all_initial_leverage', { sub_account_id: SUB }],
      ['set_initial_leverage', { sub_account_id: SUB, instrument: 'BTC_USDT_Perp', leverage: '10' }],
    ]
    for (const [name, body] of calls) {
      const full = await post(`/full/v1/${name}`, body)
      expect(full.status, name).toBe(200)
      const response = GRVT_LITE_ENDPOINTS[name as keyof typeof GRVT_LITE_ENDPOINTS][1]
      expect(grvtLiteToFull(grvtFullToLite(full.body, response), response), name).toEqual(full.body)
    }
    // the lists above were not empty (the round trip of [] would prove nothing)
    expect((await post('/full/v1/fill_history', { sub_account_id: SUB })).body.result).toHaveLength(1)
    expect((await post('/full/v1/trade_history', { instrument: 'BTC_USDT_Perp' })).body.result).toHaveLength(1)
    expect((await post('/full/v1/positions', { sub_account_id: SUB })).body.result).toHaveLength(1)
    await post('/full/v1/cancel_all_orders', { sub_account_id: SUB })
  })
})
