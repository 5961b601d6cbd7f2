import ccxt, { type Exchange } from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningBinanceEmulator, startBinanceEmulator } from '../src/binance/index.js'

// Third-party client acceptance test: ccxt 4.5.84 `binanceusdm` works unchanged against the emulator apart from its URLs.
const apiKey = 'ccxtTestKey0001'
const apiSecret = 'ccxtTestSecret0001'

let emu: RunningBinanceEmulator

function ccxtUrls(e: RunningBinanceEmulator, base: Record<string, unknown>) {
  return {
    ...base,
    fapiPublic: `${e.restUrl}/fapi/v1`,
    fapiPublicV2: `${e.restUrl}/fapi/v2`,
    fapiPublicV3: `${e.restUrl}/fapi/v3`,
    fapiPrivate: `${e.restUrl}/fapi/v1`,
    fapiPrivateV2: `${e.restUrl}/fapi/v2`,
    fapiPrivateV3: `${e.restUrl}/fapi/v3`,
    public: `${e.restUrl}/api/v3`,
    private: `${e.restUrl}/api/v3`,
    ws: { ...(base.ws as Record<string, unknown>), future: `${e.wsUrl}/ws` },
  }
}

function makeClient<T extends Exchange>(Ctor: new (config: object) => T): T {
  const client = new Ctor({ apiKey, secret: apiSecret, options: { fetchCurrencies: false } })
  client.urls.api = ccxtUrls(emu, client.urls.api as Record<string, unknown>) as typeof client.urls.api
  return client
}

beforeAll(async () => {
  emu = await startBinanceEmulator({
    symbols: ['ETHUSDT'],
    accounts: [{ apiKey, apiSecret, balances: { USDT: '10000' } }],
  })
  // External liquidity: bids 2681.00..2680.96, asks 2681.05..2681.09, 1.000 ETH each (1000 lots of 0.001).
  const bids: Array<[bigint, bigint]> = []
  const asks: Array<[bigint, bigint]> = []
  for (let i = 0n; i < 5n; i++) {
    bids.push([268100n - i, 1000n])
    asks.push([268105n + i, 1000n])
  }
  emu.engine.applyExternalDepth('ETHUSDT', bids, asks)
  emu.tick()
})

afterAll(async () => {
  await emu.close()
})

describe('ccxt.binanceusdm against the emulator', () => {
  it('loads markets and the order book', async () => {
    const ex = makeClient(ccxt.binanceusdm)
    const markets = await ex.loadMarkets()
    const m = markets['ETH/USDT:USDT']
    expect(m?.precision.price).toBe(0.01)
    expect(m?.precision.amount).toBe(0.001)
    expect(m?.limits.cost?.min).toBe(20)
    const book = await ex.fetchOrderBook('ETH/USDT:USDT')
    expect(book.bids[0]).toEqual([2681, 1])
    expect(book.asks[0]).toEqual([2681.05, 1])
    expect(typeof book.nonce).toBe('number')
  })

  it('places a post-only order, edits, fetches, lists, cancels, cancels all; rejects a crossing post-only', async () => {
    const ex = makeClient(ccxt.binanceusdm)
    await ex.loadMarkets()
    const order = await ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.05, 2680.5, { postOnly: true })
    expect(order.status).toBe('open')
    expect(order.postOnly).toBe(true)
    expect(order.price).toBe(2680.5)
    const open = await ex.fetchOpenOrders('ETH/USDT:USDT')
    expect(open.map((o) => o.id)).toEqual([order.id])
    const edited = await ex.editOrder(order.id as string, 'ETH/USDT:USDT', 'limit', 'buy', 0.04, 2680.4)
    expect([edited.id, edited.amount, edited.price]).toEqual([order.id, 0.04, 2680.4])
    const fetched = await ex.fetchOrder(order.id as string, 'ETH/USDT:USDT')
    expect([fetched.status, fetched.amount, fetched.price]).toEqual(['open', 0.04, 2680.4])
    const cancelled = await ex.cancelOrder(order.id as string, 'ETH/USDT:USDT')
    expect(cancelled.status).toBe('canceled')
    // ccxt picks its linear-futures error map by host name (https://fapi.binance.com/…), so on 127.0.0.1 -5022 surfaces as the
    // generic InvalidOrder (OrderNotFillable's parent) carrying Binance's body.
    const rejected = ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.05, 2681.05, { postOnly: true })
    await expect(rejected).rejects.toBeInstanceOf(ccxt.InvalidOrder)
    await expect(rejected).rejects.toThrow(/"code":-5022/)
    await ex.createOrder('ETH/USDT:USDT', 'limit', 'sell', 0.05, 2690, { postOnly: true })
    await ex.createOrder('ETH/USDT:USDT', 'limit', 'sell', 0.05, 2691, { postOnly: true })
    await ex.cancelAllOrders('ETH/USDT:USDT')
    expect(await ex.fetchOpenOrders('ETH/USDT:USDT')).toEqual([])
  })

  it('reports balance and positions after a taker fill', async () => {
    const ex = makeClient(ccxt.binanceusdm)
    await ex.loadMarkets()
    const filled = await ex.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.1, 2681.05)
    expect(filled.status).toBe('closed')
    expect(filled.filled).toBe(0.1)
    const balance = await ex.fetchBalance()
    // ccxt's total is Binance's marginBalance = wallet + unrealized PnL.
    // Wallet: 10000 − taker fee 0.05 % × (0.1 × 2681.05 = 268.105) = 10000 − 0.1340525 = 9999.8659475.
    // Mark = mid of 2681.00 / 2681.05 = 2681.025 → uPnL = 0.1 × (2681.025 − 2681.05) = −0.0025.
    expect((balance.total as unknown as Record<string, number>).USDT).toBeCloseTo(9999.8634475, 7)
    const positions = await ex.fetchPositions(['ETH/USDT:USDT'])
    const p = positions.find((x) => x.symbol === 'ETH/USDT:USDT')
    expect(p?.contracts).toBe(0.1)
    expect(p?.side).toBe('long')
    expect(p?.entryPrice).toBe(2681.05)
  })

  it('ccxt.pro watchOrderBook keeps a valid book over the U/u/pu chain', async () => {
    const ex = makeClient(ccxt.pro.binanceusdm)
    await ex.loadHttpProxyAgent() // ccxt needs its agent loaded before it will open a plain ws:// URL
    await ex.loadMarkets()
    const first = await ex.watchOrderBook('ETH/USDT:USDT')
    expect(first.bids.length).toBeGreaterThan(0)
    emu.engine.applyExternalDepth('ETHUSDT', [[268101n, 500n]], [])
    emu.tick()
    let book = first
    const deadline = Date.now() + 10_000
    while (book.bids[0]?.[0] !== 2681.01 && Date.now() < deadline) book = await ex.watchOrderBook('ETH/USDT:USDT')
    expect(book.bids[0]).toEqual([2681.01, 0.5])
    await ex.close()
  })

  it('ccxt.pro watchOrders receives ORDER_TRADE_UPDATE over /private/ws?listenKey=', async () => {
    const ex = makeClient(ccxt.pro.binanceusdm)
    await ex.loadHttpProxyAgent()
    await ex.loadMarkets()
    const watching = ex.watchOrders('ETH/USDT:USDT')
    // ccxt opens the private socket after POST /fapi/v1/listenKey; wait for it before placing the order.
    const deadline = Date.now() + 10_000
    while (![...emu.emulator.hub.connections].some((c) => c.accountId !== null)) {
      if (Date.now() > deadline) throw new Error('ccxt never opened the user-data socket')
      await new Promise((r) => setTimeout(r, 20))
    }
    const placer = makeClient(ccxt.binanceusdm)
    await placer.loadMarkets()
    const placed = await placer.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.02, 2670, {
      postOnly: true,
      clientOrderId: 'ccxt-watch-1',
    })
    const orders = await watching
    expect(orders[0]?.id).toBe(placed.id)
    expect(orders[0]?.clientOrderId).toBe('ccxt-watch-1')
    expect(orders[0]?.status).toBe('open')
    expect(orders[0]?.price).toBe(2670)
    await ex.close()
  })
})
