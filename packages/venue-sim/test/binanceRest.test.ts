import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type RunningBinanceEmulator,
  type StartBinanceEmulatorOptions,
  startBinanceEmulator,
} from '../src/binance/index.js'

// Official key pair and vectors from Binance's spot rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order".
const OFFICIAL_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
const OFFICIAL_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
const REST1_PAYLOAD =
  'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
const REST1_SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71'
const REST2_PAYLOAD =
  'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
const REST2_SIGNATURE = 'e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3'
const VECTOR_TIME_MS = 1499827319559

const KEY = 'testKey01'
const SECRET = 'testSecret01'

let emu: RunningBinanceEmulator | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

function clockAt(ms: number) {
  const clock = { t: ms, nowMs: () => clock.t }
  return clock
}

async function start(options: Partial<StartBinanceEmulatorOptions> = {}) {
  const clock = clockAt(1_723_161_256_000)
  emu = await startBinanceEmulator({
    clock,
    accounts: [{ apiKey: KEY, apiSecret: SECRET, balances: { USDT: '10000' } }],
    ...options,
  })
  return { emu, clock }
}

/** Signs like a Binance client: HMAC-SHA256 over query+body, appended as &signature=. */
function sign(payload: string, secret = SECRET): string {
  return `${payload}&signature=${createHmac('sha256', secret).update(payload).digest('hex')}`
}

async function call(method: string, url: string, body?: string, apiKey = KEY) {
  const res = await fetch(url, {
    method,
    headers: { 'X-MBX-APIKEY': apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  })
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> }
}

describe('REST signing with the official Binance vectors', () => {
  it('accepts a request signed exactly as REST-1 and rejects it tampered (-1022)', async () => {
    const { emu } = await start({
      clock: clockAt(VECTOR_TIME_MS),
      accounts: [{ apiKey: OFFICIAL_KEY, apiSecret: OFFICIAL_SECRET, balances: {}, spotBalances: { BTC: '1' } }],
      spotSymbols: [
        { symbol: 'LTCBTC', tickSize: '0.00001', stepSize: '0.001', minQty: '0.001', minNotional: '0.0001' },
      ],
    })
    const ok = await call(
      'POST',
      `${emu.restUrl}/api/v3/order`,
      `${REST1_PAYLOAD}&signature=${REST1_SIGNATURE}`,
      OFFICIAL_KEY,
    )
    expect(ok.status).toBe(200)
    expect(ok.json.status).toBe('NEW')
    expect(ok.json.price).toBe('0.10000000')
    // Same signature in the query string instead of the body, upper-case hex (signatures are case-insensitive).
    const viaQuery = await call(
      'POST',
      `${emu.restUrl}/api/v3/order?${REST1_PAYLOAD}&signature=${REST1_SIGNATURE.toUpperCase()}`,
      undefined,
      OFFICIAL_KEY,
    )
    expect(viaQuery.status).toBe(200)
    // Official example 3: the same parameters split between query and body, signed over their plain concatenation.
    const mixedQuery = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC'
    const mixedBody = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
    const mixedSignature = '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77'
    const mixed = await call(
      'POST',
      `${emu.restUrl}/api/v3/order?${mixedQuery}`,
      `${mixedBody}&signature=${mixedSignature}`,
      OFFICIAL_KEY,
    )
    expect(mixed.status).toBe(200)
    const tampered = await call(
      'POST',
      `${emu.restUrl}/api/v3/order`,
      `${REST1_PAYLOAD.replace('quantity=1', 'quantity=2')}&signature=${REST1_SIGNATURE}`,
      OFFICIAL_KEY,
    )
    expect(tampered).toMatchObject({
      status: 400,
      json: { code: -1022, msg: 'Signature for this request is not valid.' },
    })
  })

  it('verifies REST-2 (percent-encoded non-ASCII symbol) and then answers -1121 for the unknown symbol', async () => {
    const { emu } = await start({
      clock: clockAt(VECTOR_TIME_MS),
      accounts: [{ apiKey: OFFICIAL_KEY, apiSecret: OFFICIAL_SECRET, balances: {} }],
    })
    const res = await call(
      'POST',
      `${emu.restUrl}/api/v3/order`,
      `${REST2_PAYLOAD}&signature=${REST2_SIGNATURE}`,
      OFFICIAL_KEY,
    )
    expect(res.json).toEqual({ code: -1121, msg: 'Invalid symbol.' })
  })

  it('signs query + body concatenated in sent order', async () => {
    const { emu, clock } = await start()
    const query = `symbol=ETHUSDT&side=BUY&type=LIMIT&timestamp=${clock.t}`
    const body = 'timeInForce=GTC&quantity=0.010&price=2000.00'
    const signature = createHmac('sha256', SECRET)
      .update(query + body)
      .digest('hex')
    const res = await call('POST', `${emu.restUrl}/fapi/v1/order?${query}`, `${body}&signature=${signature}`)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      symbol: 'ETHUSDT',
      status: 'NEW',
      price: '2000.00',
      origQty: '0.010',
      type: 'LIMIT',
    })
  })
})

describe('REST authentication, timestamps and errors', () => {
  it('answers -2014 / -2015 for bad API keys and both -1021 messages for bad timestamps', async () => {
    const { emu, clock } = await start()
    const base = `${emu.restUrl}/fapi/v1/openOrders`
    expect((await call('GET', `${base}?${sign(`timestamp=${clock.t}`)}`, undefined, '')).json.code).toBe(-2014)
    expect((await call('GET', `${base}?${sign(`timestamp=${clock.t}`)}`, undefined, 'unknownKey')).json).toEqual({
      code: -2015,
      msg: 'Invalid API-key, IP, or permissions for action.',
    })
    expect((await call('GET', `${base}?${sign(`timestamp=${clock.t + 1000}`)}`)).json).toEqual({
      code: -1021,
      msg: "Timestamp for this request was 1000ms ahead of the server's time.",
    })
    expect((await call('GET', `${base}?${sign(`timestamp=${clock.t + 999}`)}`)).status).toBe(200)
    expect((await call('GET', `${base}?${sign(`recvWindow=3000&timestamp=${clock.t - 3001}`)}`)).json).toEqual({
      code: -1021,
      msg: 'Timestamp for this request is outside of the recvWindow.',
    })
    expect((await call('GET', `${base}?${sign(`recvWindow=3000&timestamp=${clock.t - 3000}`)}`)).status).toBe(200)
    expect((await call('GET', `${base}?timestamp=${clock.t}`)).json.code).toBe(-1102)
  })

  it('returns Binance error codes for order rejections and unknown orders', async () => {
    const { emu, clock } = await start()
    const order = (p: string) =>
      call('POST', `${emu.restUrl}/fapi/v1/order`, sign(`symbol=ETHUSDT&${p}&timestamp=${clock.t}`))
    expect((await order('side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=2000.001')).json.code).toBe(-1111)
    expect((await order('side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0105&price=2000')).json.code).toBe(-1111)
    expect((await order('side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.005&price=2000')).json.code).toBe(-4164)
    expect((await order('side=BUY&type=LIMIT&quantity=0.010&price=2000')).json).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
    })
    expect(
      (await order('side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=2000&newClientOrderId=dup1')).status,
    ).toBe(200)
    expect(
      (await order('side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=1999&newClientOrderId=dup1')).json.code,
    ).toBe(-4116)
    const cancel = await call(
      'DELETE',
      `${emu.restUrl}/fapi/v1/order?${sign(`symbol=ETHUSDT&orderId=42&timestamp=${clock.t}`)}`,
    )
    expect(cancel.json).toEqual({ code: -2011, msg: 'Unknown order sent.' })
    const query = await call(
      'GET',
      `${emu.restUrl}/fapi/v1/order?${sign(`symbol=ETHUSDT&origClientOrderId=nope&timestamp=${clock.t}`)}`,
    )
    expect(query.json).toEqual({ code: -2013, msg: 'Order does not exist.' })
  })

  it('GTX that would take → -5022; spot LIMIT_MAKER that would take → -2010', async () => {
    const { emu, clock } = await start({
      accounts: [{ apiKey: KEY, apiSecret: SECRET, balances: { USDT: '10000' }, spotBalances: { USDT: '10000' } }],
    })
    emu.engine.applyExternalDepth('ETHUSDT', [[200_000n, 1000n]], [[200_001n, 1000n]])
    emu.engine.applyExternalDepth('spot:ETHUSDT', [[200_000n, 1000n]], [[200_001n, 1000n]])
    const gtx = await call(
      'POST',
      `${emu.restUrl}/fapi/v1/order`,
      sign(`symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.010&price=2000.01&timestamp=${clock.t}`),
    )
    expect(gtx.json).toEqual({
      code: -5022,
      msg: 'Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history',
    })
    const maker = await call(
      'POST',
      `${emu.restUrl}/api/v3/order`,
      sign(`symbol=ETHUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.0100&price=2000.01&timestamp=${clock.t}`),
    )
    expect(maker.json).toEqual({ code: -2010, msg: 'Order would immediately match and take.' })
  })

  it('sends X-MBX-USED-WEIGHT-1M and order-count headers; openOrders costs 1 with a symbol and 40 without', async () => {
    const { emu, clock } = await start()
    const a = await call('GET', `${emu.restUrl}/fapi/v1/openOrders?${sign(`symbol=ETHUSDT&timestamp=${clock.t}`)}`)
    expect(a.headers.get('x-mbx-used-weight-1m')).toBe('1')
    const b = await call('GET', `${emu.restUrl}/fapi/v1/openOrders?${sign(`timestamp=${clock.t}`)}`)
    expect(b.headers.get('x-mbx-used-weight-1m')).toBe('41')
    const o = await call(
      'POST',
      `${emu.restUrl}/fapi/v1/order`,
      sign(`symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=2000&timestamp=${clock.t}`),
    )
    expect(o.headers.get('x-mbx-order-count-10s')).toBe('1')
    expect(o.headers.get('x-mbx-order-count-1m')).toBe('1')
  })

  it('answers 429 with Retry-After when the minute weight is exceeded, then 418 to a client that keeps calling', async () => {
    const { emu, clock } = await start({ rateLimits: { requestWeightPerMinute: 50 } })
    clock.t = 1_723_161_240_000 // start of a clock minute
    const openAll = () => call('GET', `${emu.restUrl}/fapi/v1/openOrders?${sign(`timestamp=${clock.t}`)}`)
    expect((await openAll()).status).toBe(200) // weight 40
    const limited = await openAll() // 80 > 50
    expect(limited.status).toBe(429)
    expect(limited.json.code).toBe(-1003)
    expect(limited.headers.get('retry-after')).toBe('60')
    const banned = await call('GET', `${emu.restUrl}/fapi/v1/time`)
    expect(banned.status).toBe(418)
    expect(banned.headers.get('retry-after')).toBe('120')
    expect(String(banned.json.msg)).toMatch(/^Way too many requests; IP banned until \d+\./)
    clock.t += 120_000
    expect((await call('GET', `${emu.restUrl}/fapi/v1/time`)).status).toBe(200)
  })
})

describe('order-count limit', () => {
  it('answers 429 -1015 once the 10-second order limit is used up', async () => {
    const { emu, clock } = await start({ rateLimits: { ordersPer10s: 2 } })
    clock.t = 1_723_161_250_000 // start of a 10 s window
    const place = (price: string) =>
      call(
        'POST',
        `${emu.restUrl}/fapi/v1/order`,
        sign(`symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=${price}&timestamp=${clock.t}`),
      )
    expect((await place('2000')).headers.get('x-mbx-order-count-10s')).toBe('1')
    expect((await place('2001')).headers.get('x-mbx-order-count-10s')).toBe('2')
    const third = await place('2002')
    expect(third.status).toBe(429)
    expect(third.json).toEqual({ code: -1015, msg: 'Too many new orders; current limit is 2 orders per 10 SECOND.' })
    clock.t += 10_000
    expect((await place('2003')).status).toBe(200)
  })
})

describe('batch orders and modify', () => {
  it('places a batch with a per-item error, modifies (PUT) an order and cancels a batch by client ids', async () => {
    const { emu, clock } = await start()
    const batch = JSON.stringify([
      {
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTX',
        quantity: '0.010',
        price: '2000.00',
        newClientOrderId: 'b1',
      },
      {
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTX',
        quantity: '0.010',
        price: '2000.001',
        newClientOrderId: 'b2',
      },
      {
        symbol: 'ETHUSDT',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.010',
        price: '2100.00',
        newClientOrderId: 'b3',
      },
    ])
    const placed = await call(
      'POST',
      `${emu.restUrl}/fapi/v1/batchOrders`,
      sign(`batchOrders=${encodeURIComponent(batch)}&timestamp=${clock.t}`),
    )
    const items = placed.json as unknown as Array<Record<string, unknown>>
    expect(items.map((i) => i.clientOrderId ?? i.code)).toEqual(['b1', -1111, 'b3'])
    const modified = await call(
      'PUT',
      `${emu.restUrl}/fapi/v1/order`,
      sign(`symbol=ETHUSDT&origClientOrderId=b1&side=BUY&quantity=0.020&price=2001.00&timestamp=${clock.t}`),
    )
    expect(modified.json).toMatchObject({ clientOrderId: 'b1', price: '2001.00', origQty: '0.020', status: 'NEW' })
    const same = await call(
      'PUT',
      `${emu.restUrl}/fapi/v1/order`,
      sign(`symbol=ETHUSDT&origClientOrderId=b1&side=BUY&quantity=0.020&price=2001.00&timestamp=${clock.t}`),
    )
    expect(same.json).toEqual({ code: -5027, msg: 'No need to modify the order.' })
    const list = encodeURIComponent(JSON.stringify(['b1', 'b3', 'nope']))
    const cancelled = await call(
      'DELETE',
      `${emu.restUrl}/fapi/v1/batchOrders?${sign(`symbol=ETHUSDT&origClientOrderIdList=${list}&timestamp=${clock.t}`)}`,
    )
    const results = cancelled.json as unknown as Array<Record<string, unknown>>
    expect(results.map((r) => r.status ?? r.code)).toEqual(['CANCELED', 'CANCELED', -2011])
  })
})

describe('listenKey and dead-man switch', () => {
  it('POST returns the same active key; PUT after expiry answers -1125', async () => {
    const { emu, clock } = await start({ listenKeyTtlMs: 60_000 })
    const first = await call('POST', `${emu.restUrl}/fapi/v1/listenKey`, '')
    const second = await call('POST', `${emu.restUrl}/fapi/v1/listenKey`, '')
    expect(typeof first.json.listenKey).toBe('string')
    expect(second.json.listenKey).toBe(first.json.listenKey)
    expect((await call('PUT', `${emu.restUrl}/fapi/v1/listenKey`, '')).status).toBe(200)
    clock.t += 60_000
    emu.tick()
    expect((await call('PUT', `${emu.restUrl}/fapi/v1/listenKey`, '')).json).toEqual({
      code: -1125,
      msg: 'This listenKey does not exist.',
    })
    const fresh = await call('POST', `${emu.restUrl}/fapi/v1/listenKey`, '')
    expect(fresh.json.listenKey).not.toBe(first.json.listenKey)
  })

  it('countdownCancelAll cancels open orders when the countdown lapses on the emulator clock', async () => {
    const { emu, clock } = await start()
    await call(
      'POST',
      `${emu.restUrl}/fapi/v1/order`,
      sign(`symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=2000&timestamp=${clock.t}`),
    )
    const armed = await call(
      'POST',
      `${emu.restUrl}/fapi/v1/countdownCancelAll`,
      sign(`symbol=ETHUSDT&countdownTime=120000&timestamp=${clock.t}`),
    )
    expect(armed.json).toEqual({ symbol: 'ETHUSDT', countdownTime: '120000' })
    clock.t += 119_999
    emu.tick()
    expect(emu.engine.listOpenOrders('futures-0')).toHaveLength(1)
    clock.t += 1
    emu.tick()
    expect(emu.engine.listOpenOrders('futures-0')).toHaveLength(0)
  })
})
