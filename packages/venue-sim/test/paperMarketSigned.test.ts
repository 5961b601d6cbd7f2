import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningBinanceEmulator, startBinanceEmulator } from '../src/binance/index.js'
import { createReplayClock } from '../src/clock/index.js'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'
import { type RunningGrvtEmulator, startGrvtEmulator } from '../src/grvt/index.js'

// A paper run on a replay clock set to a past day: 2024-01-05 at 60× the real wall clock, no tick interval given (a
// replay clock ticks by itself). Third-party clients sign their requests with their own clock (ccxt uses Date.now()) and
// cannot know the replay time: the emulators check requests against the replay clock's wall, so ccxt works unchanged
// apart from its URLs (no loadTimeDifference), while orders and trades carry replay time. Before this, every signed
// request was refused (-1021 on Binance, an expired/too-far signature on GRVT, a stale auth timestamp on Deribit) and the
// market did not move without an explicit tickIntervalMs.
const KLINES = fileURLToPath(
  new URL(
    '../../../data/binance-ethusdt-klines-2024-01-05/ETHUSDT-1m-2024-01-05.futures-um.reduced.csv',
    import.meta.url,
  ),
)
const T0 = Date.UTC(2024, 0, 5) // the CSV's first open_time
const DAY_END = Date.UTC(2024, 0, 6)
const WALLET = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' // public anvil key #1, holds nothing
const SUB = '8289849667772468'

const clock = createReplayClock({ startMs: T0, speed: 60 })
let binance: RunningBinanceEmulator
let deribit: RunningDeribitEmulator
let grvt: RunningGrvtEmulator

beforeAll(async () => {
  const market = { kind: 'klines', file: KLINES } as const
  binance = await startBinanceEmulator({
    clock,
    pingIntervalMs: 0,
    symbols: ['ETHUSDT'],
    accounts: [{ apiKey: 'paperKey', apiSecret: 'paperSecret', balances: { USDT: '10000' } }],
    market,
  })
  deribit = await startDeribitEmulator({
    clock,
    instruments: [{ instrumentName: 'ETH-PERPETUAL', tickSize: '0.05' }],
    accounts: [{ clientId: 'paper', clientSecret: 'paper-secret', balances: { ETH: '10' } }],
    market,
  })
  grvt = await startGrvtEmulator({
    clock,
    instruments: [{ instrument: 'ETH_USDT_Perp', instrumentHash: '0x030401', tickSize: '0.01', minSize: '0.01' }],
    accounts: [
      { mainAccountPrivateKey: WALLET, signerPrivateKeys: [], subAccountId: SUB, balances: { USDT: '10000' } },
    ],
    market,
  })
})

afterAll(async () => {
  await Promise.all([binance?.close(), deribit?.close(), grvt?.close()])
})

/** Waits (real time) until the replayed market has a two-sided book, i.e. the emulator ticks on its own. */
async function bookOf(engine: RunningBinanceEmulator['engine'], symbol: string) {
  const deadline = Date.now() + 5_000
  for (;;) {
    const { bid, ask } = engine.bestBidAsk(symbol)
    if (bid && ask) return { bid, ask }
    if (Date.now() > deadline) throw new Error(`${symbol}: the replay market never ticked`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('paper run on a past day: clients sign with their own clock, unchanged', () => {
  it('Binance USDⓈ-M: ccxt signed calls work; the order carries replay time; server time is the wall', async () => {
    await bookOf(binance.engine, 'ETHUSDT')
    const ex = new ccxt.binanceusdm({ apiKey: 'paperKey', secret: 'paperSecret', options: { fetchCurrencies: false } })
    const base = binance.restUrl
    ex.urls.api = {
      ...(ex.urls.api as Record<string, unknown>),
      fapiPublic: `${base}/fapi/v1`,
      fapiPublicV2: `${base}/fapi/v2`,
      fapiPublicV3: `${base}/fapi/v3`,
      fapiPrivate: `${base}/fapi/v1`,
      fapiPrivateV2: `${base}/fapi/v2`,
      fapiPrivateV3: `${base}/fapi/v3`,
      public: `${base}/api/v3`,
      private: `${base}/api/v3`,
      dapiPublic: `${base}/dapi/v1`,
      sapi: `${base}/sapi/v1`,
    } as typeof ex.urls.api
    const balance = await ex.fetchBalance()
    expect(balance.USDT?.total).toBe(10000)
    const order = await ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.01, 2000, { timeInForce: 'GTX' })
    expect(order.status).toBe('open')
    expect(order.timestamp).toBeGreaterThanOrEqual(T0)
    expect(order.timestamp).toBeLessThan(DAY_END)
    const serverTime = await ex.fetchTime()
    expect(Math.abs((serverTime as number) - Date.now())).toBeLessThan(5_000)
    await ex.cancelOrder(order.id as string, 'ETH/USDT:USDT')
  })

  it('Deribit: ccxt authenticates and places a post-only order; its creation time is replay time', async () => {
    await bookOf(deribit.engine, 'ETH-PERPETUAL')
    const ex = new ccxt.deribit({ apiKey: 'paper', secret: 'paper-secret' })
    ex.urls.api = { rest: deribit.restUrl } as typeof ex.urls.api
    const balance = await ex.fetchBalance({ currency: 'ETH' })
    expect(balance.ETH?.total).toBe(10)
    const order = await ex.createOrder('ETH/USD:ETH', 'limit', 'buy', 10, 2000, { postOnly: true })
    expect(order.status).toBe('open')
    expect(order.timestamp).toBeGreaterThanOrEqual(T0)
    expect(order.timestamp).toBeLessThan(DAY_END)
    await ex.cancelOrder(order.id as string, 'ETH/USD:ETH')
  })

  it('Deribit client_signature auth: the signed timestamp is the client’s wall time (ccxt REST above needs none)', async () => {
    const timestamp = Date.now()
    const nonce = 'paper1'
    const signature = createHmac('sha256', 'paper-secret').update(`${timestamp}\n${nonce}\n`).digest('hex')
    const query = new URLSearchParams({
      grant_type: 'client_signature',
      client_id: 'paper',
      timestamp: String(timestamp),
      nonce,
      signature,
      data: '',
    })
    const res = await fetch(`${deribit.restUrl}/api/v2/public/auth?${query}`)
    const body = (await res.json()) as { result?: { access_token?: string }; error?: unknown }
    expect(body.error).toBeUndefined()
    expect(body.result?.access_token).toMatch(/.+/)
  })

  it('Deribit usIn/usOut are venue (replay) time, the clock of its trades: a position read is stamped with the same clock as fills', async () => {
    const res = await fetch(`${deribit.restUrl}/api/v2/public/get_time`)
    const body = (await res.json()) as { usIn: number; usOut: number }
    // get_time's result is the server time clients sign with (wall); the envelope says when the venue handled it
    for (const us of [body.usIn, body.usOut]) {
      expect(us / 1000).toBeGreaterThanOrEqual(T0)
      expect(us / 1000).toBeLessThan(DAY_END)
    }
  })

  it('GRVT: ccxt logs in with its wallet and signs an order that expires in wall time; it rests', async () => {
    await bookOf(grvt.engine, 'ETH_USDT_Perp')
    const ex = new ccxt.grvt({ privateKey: WALLET, options: { builderFee: false }, enableRateLimit: false })
    ex.setSandboxMode(true)
    ex.urls.api = {
      privateEdge: `${grvt.restUrl}/`,
      privateTrading: `${grvt.restUrl}/`,
      publicMarket: `${grvt.restUrl}/`,
      ws: { publicMarket: grvt.wsUrl, privateTrading: grvt.wsUrl },
    } as unknown as typeof ex.urls.api
    await ex.loadMarkets()
    const order = await ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.01, 2000, { postOnly: true })
    const open = await ex.fetchOpenOrders('ETH/USDT:USDT')
    expect(open.map((o) => [o.price, o.amount, o.side])).toEqual([[2000, 0.01, 'buy']])
    expect(open[0]?.timestamp).toBeGreaterThanOrEqual(T0)
    expect(open[0]?.timestamp).toBeLessThan(DAY_END)
    await ex.cancelOrder(order.id as string, 'ETH/USDT:USDT')
  })
})
