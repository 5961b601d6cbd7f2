import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  type RunningBinanceEmulator,
  type StartBinanceEmulatorOptions,
  startBinanceEmulator,
} from '../src/binance/index.js'

// Official key pair and WebSocket-API vectors (spot web-socket-api.md, SIGNED request examples).
const OFFICIAL_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
const OFFICIAL_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
const WS1_TIME = 1645423376532
const WS1_SIGNATURE = 'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24'
const WS2_SIGNATURE = 'b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd'

const KEY = 'spotKey01'
const SECRET = 'spotSecret01'

let emu: RunningBinanceEmulator | undefined
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await emu?.close()
  emu = undefined
})

async function start(options: Partial<StartBinanceEmulatorOptions> & { t?: number } = {}) {
  const clock = { t: options.t ?? 1_723_161_256_000, nowMs: () => clock.t }
  emu = await startBinanceEmulator({
    clock,
    pingIntervalMs: 0,
    accounts: [{ apiKey: KEY, apiSecret: SECRET, balances: {}, spotBalances: { USDT: '10000', ETH: '2' } }],
    ...options,
  })
  return { emu, clock }
}

async function wsApi(url: string) {
  const ws = new WebSocket(url)
  sockets.push(ws)
  const frames: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Record<string, unknown>)
    for (const w of waiters.splice(0)) w()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const until = async (predicate: () => boolean, what: string) => {
    const deadline = Date.now() + 5000
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
  }
  const request = async (id: string, method: string, params: Record<string, unknown>) => {
    ws.send(JSON.stringify({ id, method, params }))
    await until(() => frames.some((f) => f.id === id), `response ${id}`)
    return frames.find((f) => f.id === id) as Record<string, unknown>
  }
  return { frames, until, request }
}

/** WS-API signing: all params except signature, sorted by name, k=v joined by &. */
function signWs(params: Record<string, string | number>, secret = SECRET): Record<string, string | number> {
  const payload = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&')
  return { ...params, signature: createHmac('sha256', secret).update(payload).digest('hex') }
}

describe('spot WebSocket API', () => {
  it('accepts order.place signed exactly as WS-API-1 and rejects it tampered', async () => {
    const { emu } = await start({
      t: WS1_TIME,
      accounts: [{ apiKey: OFFICIAL_KEY, apiSecret: OFFICIAL_SECRET, balances: {}, spotBalances: { BTC: '1' } }],
      spotSymbols: [{ symbol: 'BTCUSDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001' }],
    })
    const api = await wsApi(`${emu.wsUrl}/ws-api/v3`)
    const params = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      recvWindow: 100,
      timestamp: WS1_TIME,
      apiKey: OFFICIAL_KEY,
    }
    const ok = await api.request('1', 'order.place', { ...params, signature: WS1_SIGNATURE })
    expect(ok.status).toBe(200)
    expect(ok.result).toMatchObject({
      symbol: 'BTCUSDT',
      status: 'NEW',
      price: '52000.00000000',
      origQty: '0.01000000',
    })
    const bad = await api.request('2', 'order.place', { ...params, quantity: '0.02000000', signature: WS1_SIGNATURE })
    expect(bad).toMatchObject({ status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } })
    // WS-API-2: UTF-8 symbol (not percent-encoded) signs correctly, then fails as an unknown symbol.
    const ws2 = await api.request('3', 'order.place', {
      ...params,
      symbol: '１２３４５６',
      side: 'BUY',
      quantity: '1.00000000',
      price: '0.10000000',
      recvWindow: 5000,
      signature: WS2_SIGNATURE,
    })
    expect(ws2).toMatchObject({ status: 400, error: { code: -1121, msg: 'Invalid symbol.' } })
  })

  it('userDataStream.subscribe.signature delivers executionReport and outboundAccountPosition', async () => {
    const { emu, clock } = await start()
    const api = await wsApi(`${emu.wsUrl}/ws-api/v3`)
    const sub = await api.request(
      's',
      'userDataStream.subscribe.signature',
      signWs({ apiKey: KEY, timestamp: clock.t }),
    )
    expect(sub).toMatchObject({ status: 200, result: { subscriptionId: 0 } })
    const placed = await api.request(
      'p',
      'order.place',
      signWs({
        apiKey: KEY,
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'LIMIT_MAKER',
        quantity: '0.5000',
        price: '2000.00',
        newClientOrderId: 'sp-1',
        timestamp: clock.t,
      }),
    )
    expect(placed.status).toBe(200)
    await api.until(
      () => api.frames.some((f) => (f.event as { e?: string } | undefined)?.e === 'outboundAccountPosition'),
      'account event',
    )
    const report = api.frames.find((f) => (f.event as { e?: string } | undefined)?.e === 'executionReport')
    expect(report).toMatchObject({
      subscriptionId: 0,
      event: {
        s: 'ETHUSDT',
        c: 'sp-1',
        S: 'BUY',
        o: 'LIMIT_MAKER',
        q: '0.50000000',
        p: '2000.00000000',
        x: 'NEW',
        X: 'NEW',
      },
    })
    // 0.5 ETH × 2000 = 1000 USDT locked, 9000 free.
    const position = api.frames.find((f) => (f.event as { e?: string } | undefined)?.e === 'outboundAccountPosition')
    expect(position?.event).toMatchObject({ e: 'outboundAccountPosition' })
    expect((position?.event as { B: unknown[] } | undefined)?.B).toEqual([
      { a: 'USDT', f: '9000.00000000', l: '1000.00000000' },
    ])
  })
})

describe('spot cancelReplace (REST)', () => {
  it('cancels and places in one call; STOP_ON_FAILURE reports a failed cancel without placing', async () => {
    const { emu, clock } = await start()
    const call = async (path: string, payload: string) => {
      const q = `${payload}&signature=${createHmac('sha256', SECRET).update(payload).digest('hex')}`
      const res = await fetch(`${emu.restUrl}${path}?${q}`, { method: 'POST', headers: { 'X-MBX-APIKEY': KEY } })
      return { status: res.status, json: (await res.json()) as Record<string, unknown> }
    }
    await call(
      '/api/v3/order',
      `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5000&price=2000.00&newClientOrderId=cr-1&timestamp=${clock.t}`,
    )
    const replaced = await call(
      '/api/v3/order/cancelReplace',
      `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5000&price=2001.00&cancelReplaceMode=STOP_ON_FAILURE&cancelOrigClientOrderId=cr-1&newClientOrderId=cr-2&timestamp=${clock.t}`,
    )
    expect(replaced.json).toMatchObject({
      cancelResult: 'SUCCESS',
      newOrderResult: 'SUCCESS',
      cancelResponse: { clientOrderId: 'cr-1', status: 'CANCELED' },
      newOrderResponse: { clientOrderId: 'cr-2', status: 'NEW', price: '2001.00000000' },
    })
    const failed = await call(
      '/api/v3/order/cancelReplace',
      `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5000&price=2002.00&cancelReplaceMode=STOP_ON_FAILURE&cancelOrigClientOrderId=cr-1&timestamp=${clock.t}`,
    )
    expect(failed).toEqual({
      status: 400,
      json: {
        code: -2022,
        msg: 'Order cancel-replace failed.',
        data: {
          cancelResult: 'FAILURE',
          newOrderResult: 'NOT_ATTEMPTED',
          cancelResponse: { code: -2011, msg: 'Unknown order sent.' },
          newOrderResponse: null,
        },
      },
    })
  })
})

describe('USDⓈ-M WebSocket API (/ws-fapi/v1)', () => {
  it('places, modifies and queries futures orders with WS-API signing; userDataStream.start needs only the API key', async () => {
    const { emu, clock } = await start({
      accounts: [{ apiKey: KEY, apiSecret: SECRET, balances: { USDT: '10000' } }],
    })
    const api = await wsApi(`${emu.wsUrl}/ws-fapi/v1`)
    const placed = await api.request(
      'p',
      'order.place',
      signWs({
        apiKey: KEY,
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTX',
        quantity: '0.100',
        price: '2000.00',
        newClientOrderId: 'wf-1',
        timestamp: clock.t,
      }),
    )
    expect(placed).toMatchObject({
      status: 200,
      result: { clientOrderId: 'wf-1', status: 'NEW', price: '2000.00', origQty: '0.100' },
    })
    const modified = await api.request(
      'm',
      'order.modify',
      signWs({
        apiKey: KEY,
        symbol: 'ETHUSDT',
        origClientOrderId: 'wf-1',
        side: 'BUY',
        quantity: '0.050',
        price: '1999.00',
        timestamp: clock.t,
      }),
    )
    expect(modified).toMatchObject({ status: 200, result: { price: '1999.00', origQty: '0.050' } })
    const status = await api.request(
      's',
      'order.status',
      signWs({ apiKey: KEY, symbol: 'ETHUSDT', origClientOrderId: 'wf-1', timestamp: clock.t }),
    )
    expect(status).toMatchObject({ status: 200, result: { status: 'NEW', price: '1999.00' } })
    const tampered = await api.request('t', 'order.status', {
      ...signWs({ apiKey: KEY, symbol: 'ETHUSDT', origClientOrderId: 'wf-1', timestamp: clock.t }),
      symbol: 'BTCUSDT',
    })
    expect(tampered).toMatchObject({ status: 400, error: { code: -1022 } })
    const stream = await api.request('u', 'userDataStream.start', { apiKey: KEY })
    expect(typeof (stream.result as { listenKey?: unknown }).listenKey).toBe('string')
  })
})
