import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type RunningGrvtEmulator, recoverGrvtOrderSigner, startGrvtEmulator } from '../src/grvt/index.js'

// GRVT emulator over its wire protocol: cookie login, /full/v1 JSON POST, EIP-712 order signatures, v1.book.d.
// Orders are signed here with ethers' own signTypedData over the GRVT types (pysdk grvt_raw_signing.py).
const KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // pysdk test key
const OTHER_KEY = '0xc0663ca94684aead40c41a1cb3a94b68a24296e87245be3a186e882a29a15ee0'
const SUB = '8289849667772468'
let emu: RunningGrvtEmulator
let cookie = ''
let accountId = ''
let nonce = 1

const TYPES = {
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

async function signedOrder(
  o: { size: string; price: string; buy: boolean; postOnly: boolean; cid: string },
  key = KEY,
): Promise<Record<string, unknown>> {
  const wallet = new Wallet(key)
  const n = nonce++
  const expiration = (BigInt(Date.now()) + 3_600_000n) * 1_000_000n
  // sizes with 3 decimals → × 10^9 (BTC base_decimals 9); prices with ≤ 1 decimal → × 10^9, written out by hand
  const scale = (v: string) => {
    const [i, f = ''] = v.split('.')
    return BigInt(`${i}${f.padEnd(9, '0')}`)
  }
  const sig = await wallet.signTypedData({ name: 'GRVT Exchange', version: '0', chainId: 326 }, TYPES, {
    subAccountID: BigInt(SUB),
    isMarket: false,
    timeInForce: 1,
    postOnly: o.postOnly,
    reduceOnly: false,
    legs: [{ assetID: 0x030501n, contractSize: scale(o.size), limitPrice: scale(o.price), isBuyingContract: o.buy }],
    nonce: n,
    expiration,
  })
  const r = `0x${sig.slice(2, 66)}`
  const s = `0x${sig.slice(66, 130)}`
  const v = Number.parseInt(sig.slice(130, 132), 16)
  return {
    sub_account_id: SUB,
    is_market: false,
    time_in_force: 'GOOD_TILL_TIME',
    post_only: o.postOnly,
    reduce_only: false,
    legs: [{ instrument: 'BTC_USDT_Perp', size: o.size, limit_price: o.price, is_buying_asset: o.buy }],
    signature: { signer: wallet.address, r, s, v, expiration: expiration.toString(), nonce: n, chain_id: '326' },
    metadata: { client_order_id: o.cid },
  }
}

async function post(
  path: string,
  body: unknown,
  auth = true,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.restUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { cookie, 'x-grvt-account-id': accountId } : {}) },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function login(): Promise<void> {
  const res = await fetch(`${emu.restUrl}/auth/api_key/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'rm=true;' },
    body: JSON.stringify({ api_key: 'key-1' }),
  })
  expect(res.status).toBe(200)
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  accountId = res.headers.get('x-grvt-account-id') ?? ''
  expect(cookie).toMatch(/^gravity=[0-9a-f]+$/)
}

beforeAll(async () => {
  emu = await startGrvtEmulator({
    instruments: [{ instrument: 'BTC_USDT_Perp', instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' }],
    accounts: [{ apiKey: 'key-1', signerPrivateKeys: [KEY], subAccountId: SUB, balances: { USDT: '100000' } }],
  })
  emu.engine.applyExternalDepth('BTC_USDT_Perp', [[650000n, 1000n]], [[650010n, 1000n]])
  emu.tick()
  await login()
})

afterAll(async () => {
  await emu.close()
})

describe('GRVT emulator', () => {
  it('recovers the pysdk vector signer from the official r, s, v', () => {
    const signer = recoverGrvtOrderSigner(
      {
        subAccountID: 8289849667772468n,
        isMarket: false,
        timeInForce: 1,
        postOnly: false,
        reduceOnly: false,
        legs: [{ assetID: 0x030501n, contractSize: 1013000000n, limitPrice: 68900500000000n, isBuyingContract: false }],
        nonce: 828700936,
        expiration: 1730800479321350000n,
      },
      326,
      {
        r: '0xb00512d986a718b15136a8ba23de1c1ec84bbdb9958629cbbe4909bae620bb04',
        s: '0x79f706de61c68cc14d7734594b5d8689df2b2a7b25951f9a3f61d799f4327ffc',
        v: 28,
      },
    )
    expect(signer).toBe('0xE10eC9Bb1eE30Af8bE35B32B163E7458a07aD987')
  })

  it('private endpoints need the session cookie and account id', async () => {
    const res = await post('/full/v1/open_orders', { sub_account_id: SUB }, false)
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ code: 1000 })
  })

  it('create_order with a valid signature rests; tampered payload → 2002; foreign signer → 2000', async () => {
    const order = await signedOrder({
      size: '0.01',
      price: '64000',
      buy: true,
      postOnly: true,
      cid: '9223372036854775808',
    })
    const ok = await post('/full/v1/create_order', { order })
    expect(ok.status).toBe(200)
    expect(ok.body.result).toMatchObject({
      state: { status: 'OPEN', book_size: ['0.010'] },
      metadata: { client_order_id: '9223372036854775808' },
    })
    const dup = await post('/full/v1/create_order', {
      order: await signedOrder({ size: '0.01', price: '64000', buy: true, postOnly: true, cid: '9223372036854775808' }),
    })
    expect(dup.body).toMatchObject({ code: 2012 })
    const tampered = await signedOrder({
      size: '0.01',
      price: '64000',
      buy: true,
      postOnly: true,
      cid: '9223372036854775809',
    })
    ;(tampered.legs as Array<Record<string, unknown>>)[0] = {
      instrument: 'BTC_USDT_Perp',
      size: '0.02',
      limit_price: '64000',
      is_buying_asset: true,
    }
    expect((await post('/full/v1/create_order', { order: tampered })).body).toMatchObject({ code: 2002 })
    const foreign = await signedOrder(
      { size: '0.01', price: '64000', buy: true, postOnly: true, cid: '9223372036854775810' },
      OTHER_KEY,
    )
    expect((await post('/full/v1/create_order', { order: foreign })).body).toMatchObject({ code: 2000 })
    expect(
      (await post('/full/v1/cancel_order', { sub_account_id: SUB, client_order_id: '9223372036854775808' })).body,
    ).toEqual({
      result: { ack: true },
    })
  })

  it('a crossing post-only order comes back REJECTED with FAIL_POST_ONLY', async () => {
    const order = await signedOrder({
      size: '0.01',
      price: '65001',
      buy: true,
      postOnly: true,
      cid: '9223372036854775811',
    })
    const res = await post('/full/v1/create_order', { order })
    expect(res.body.result).toMatchObject({ state: { status: 'REJECTED', reject_reason: 'FAIL_POST_ONLY' } })
  })

  it('cancel_on_disconnect countdown cancels open orders when not refreshed', async () => {
    const order = await signedOrder({
      size: '0.01',
      price: '60000',
      buy: true,
      postOnly: true,
      cid: '9223372036854775812',
    })
    await post('/full/v1/create_order', { order })
    expect(
      (await post('/full/v1/cancel_on_disconnect', { sub_account_id: SUB, countdown_time: 300_001 })).body,
    ).toMatchObject({ code: 1004 })
    expect((await post('/full/v1/cancel_on_disconnect', { sub_account_id: SUB, countdown_time: 1001 })).status).toBe(
      200,
    )
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const open = (await post('/full/v1/open_orders', { sub_account_id: SUB })).body.result as unknown[]
      if (open.length === 0) break
      await new Promise((r) => setImmediate(r))
    }
    expect((await post('/full/v1/open_orders', { sub_account_id: SUB })).body.result).toEqual([])
  })

  it('v1.book.d: snapshot with sequence 0, then deltas numbered +1', async () => {
    const ws = new WebSocket(emu.wsUrl)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const frames: Array<Record<string, unknown>> = []
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>))
    ws.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { stream: 'v1.book.d', selectors: ['BTC_USDT_Perp@500'] },
        id: 7,
      }),
    )
    const until = async (test: () => boolean) => {
      for (const deadline = Date.now() + 5000; !test() && Date.now() < deadline; )
        await new Promise((r) => setImmediate(r))
    }
    await until(() => frames.some((f) => f.sequence_number === '0'))
    expect(frames.find((f) => f.id === 7)).toMatchObject({
      result: { stream: 'v1.book.d', subs: ['BTC_USDT_Perp@500'] },
    })
    expect(frames.find((f) => f.sequence_number === '0')).toMatchObject({
      feed: { bids: [{ price: '65000.0', size: '1.000' }], asks: [{ price: '65001.0', size: '1.000' }] },
    })
    emu.engine.applyExternalDepth('BTC_USDT_Perp', [[650000n, 0n]], [])
    emu.tick()
    const isRemoval = (f: Record<string, unknown>) =>
      JSON.stringify((f.feed as { bids?: unknown } | undefined)?.bids ?? []).includes(
        '{"price":"65000.0","size":"0.000"',
      )
    await until(() => frames.some(isRemoval))
    // every feed frame continues the previous one: sequence numbers 0, 1, 2, … and prev = sequence − 1
    const feeds = frames.filter((f) => f.sequence_number !== undefined)
    feeds.forEach((f, i) => {
      expect(f.sequence_number).toBe(String(i))
      if (i > 0) expect(f.prev_sequence_number).toBe(String(i - 1))
    })
    expect(feeds.some(isRemoval)).toBe(true)
    ws.terminate()
  })

  it('expired sessions answer 401 until the next login', async () => {
    emu.emulator.expireSessions()
    expect((await post('/full/v1/open_orders', { sub_account_id: SUB })).body).toMatchObject({ code: 1000 })
    await login()
    expect((await post('/full/v1/open_orders', { sub_account_id: SUB })).status).toBe(200)
  })

  it('REST faults: rate limit → 429 / 1006 and a 5xx → 1002, neither executed; 5xx "after" executes first', async () => {
    const open = () => emu.engine.listOpenOrders('grvt-0').length
    const before = open()
    emu.emulator.faults.rest.rateLimitNext = 1
    const limited = await post('/full/v1/create_order', {
      order: await signedOrder({ size: '0.001', price: '60000.0', buy: true, postOnly: true, cid: '9000001' }),
    })
    expect(limited).toMatchObject({ status: 429, body: { code: 1006, status: 429 } })
    emu.emulator.faults.rest.http5xxNext = 1
    const failed = await post('/full/v1/create_order', {
      order: await signedOrder({ size: '0.001', price: '60000.0', buy: true, postOnly: true, cid: '9000002' }),
    })
    expect(failed).toMatchObject({ status: 500, body: { code: 1002, status: 500 } })
    expect(open()).toBe(before)
    emu.emulator.faults.rest.http5xxNext = 1
    emu.emulator.faults.rest.http5xxMode = 'after'
    emu.emulator.faults.rest.http5xxStatus = 503
    const unknown = await post('/full/v1/create_order', {
      order: await signedOrder({ size: '0.001', price: '60000.0', buy: true, postOnly: true, cid: '9000003' }),
    })
    emu.emulator.faults.reset()
    expect(unknown).toMatchObject({ status: 503, body: { code: 1002 } })
    expect(open()).toBe(before + 1)
    expect((await post('/full/v1/cancel_order', { sub_account_id: SUB, client_order_id: '9000003' })).status).toBe(200)
  })

  it('book depth must be one of 10, 50, 100, 500 (else 3031 "Depth is invalid")', async () => {
    const book = await post('/full/v1/book', { instrument: 'BTC_USDT_Perp', depth: 10 }, false)
    expect(book).toMatchObject({ status: 200, body: { result: { instrument: 'BTC_USDT_Perp' } } })
    const bad = await post('/full/v1/book', { instrument: 'BTC_USDT_Perp', depth: 7 }, false)
    expect(bad).toMatchObject({ status: 400, body: { code: 3031 } })
  })

  it('an unknown public endpoint answers 404 / 1004 with or without a session (not 401)', async () => {
    expect(await post('/full/v1/no_such_endpoint', { instrument: 'BTC_USDT_Perp' }, false)).toMatchObject({
      status: 404,
      body: { code: 1004 },
    })
    expect(await post('/full/v1/no_such_endpoint', {}, true)).toMatchObject({ status: 404, body: { code: 1004 } })
    // a known private endpoint still needs the session
    expect(await post('/full/v1/fill_history', { sub_account_id: SUB }, false)).toMatchObject({ status: 401 })
  })

  it('a fill carries the fee rate of its side (v1.fill): taker 0.045 % in percentage points', async () => {
    const ws = new WebSocket(emu.wsUrl, { headers: { cookie, 'x-grvt-account-id': accountId } })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const frames: Array<Record<string, unknown>> = []
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>))
    ws.send(
      JSON.stringify({ jsonrpc: '2.0', method: 'subscribe', params: { stream: 'v1.fill', selectors: [SUB] }, id: 9 }),
    )
    const until = async (test: () => boolean) => {
      for (const deadline = Date.now() + 5000; !test() && Date.now() < deadline; )
        await new Promise((r) => setImmediate(r))
    }
    await until(() => frames.some((f) => f.id === 9))
    emu.engine.applyExternalDepth('BTC_USDT_Perp', [], [[650010n, 1000n]])
    emu.tick()
    // buy 0.002 at 65001.0 against the external offer: a taker fill
    const res = await post('/full/v1/create_order', {
      order: await signedOrder({ size: '0.002', price: '65001.0', buy: true, postOnly: false, cid: '9000077' }),
    })
    expect(res.status).toBe(200)
    await until(() => frames.some((f) => f.stream === 'v1.fill'))
    // fee = 0.002 · 65001 · 0.045 % = 0.0585009 USDT
    expect(frames.find((f) => f.stream === 'v1.fill')?.feed).toMatchObject({
      is_taker: true,
      size: '0.002',
      price: '65001.0',
      fee: '0.05850090',
      fee_rate: '0.045',
    })
    ws.terminate()
  })

  it('v1.mini.d: the mini ticker at once, then only when it changed; v1.ticker.s every period with 24 h fields', async () => {
    const ws = new WebSocket(emu.wsUrl)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const frames: Array<Record<string, unknown>> = []
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>))
    const until = async (test: () => boolean) => {
      for (const deadline = Date.now() + 5000; !test() && Date.now() < deadline; )
        await new Promise((r) => setImmediate(r))
    }
    const feeds = (stream: string) =>
      frames.filter((f) => f.stream === stream).map((f) => f.feed as Record<string, unknown>)
    ws.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { stream: 'v1.mini.d', selectors: ['BTC_USDT_Perp@100'] },
        id: 21,
      }),
    )
    await until(() => feeds('v1.mini.d').length > 0)
    expect(frames.find((f) => f.id === 21)).toMatchObject({
      result: { stream: 'v1.mini.d', subs: ['BTC_USDT_Perp@100'] },
    })
    const first = feeds('v1.mini.d')[0]
    expect(first).toMatchObject({ instrument: 'BTC_USDT_Perp', best_ask_price: '65001.0' })
    expect(first).not.toHaveProperty('buy_volume_24h_b')
    // nothing changes for a few periods: no new frame on the delta stream
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
    await wait(350)
    expect(feeds('v1.mini.d')).toHaveLength(1)
    emu.engine.applyExternalDepth('BTC_USDT_Perp', [[649000n, 2000n]], [])
    await until(() => feeds('v1.mini.d').length > 1)
    expect(feeds('v1.mini.d')[1]).toMatchObject({ best_bid_price: '64900.0', best_bid_size: '2.000' })
    ws.send(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { stream: 'v1.ticker.s', selectors: ['BTC_USDT_Perp@100'] },
        id: 22,
      }),
    )
    await until(() => feeds('v1.ticker.s').length >= 3)
    // a snapshot stream repeats the whole ticker every period, with the 24 h and funding fields
    expect(feeds('v1.ticker.s')[2]).toMatchObject({ instrument: 'BTC_USDT_Perp', funding_rate_8h_curr: '0.0' })
    expect(feeds('v1.ticker.s')[2]).toHaveProperty('buy_volume_24h_b')
    ws.terminate()
  })
})
