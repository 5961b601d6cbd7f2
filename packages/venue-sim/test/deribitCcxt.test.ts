import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'

// Third-party client acceptance: ccxt 4.5.84 `deribit` (REST, deri-hmac-sha256 signing) and ccxt.pro `deribit`
// (watchOrderBook over JSON-RPC WebSocket) work unchanged against the emulator apart from their URLs.
const apiKey = 'ccxt-client'
const secret = 'ccxt-secret'
let emu: RunningDeribitEmulator

function makeClient() {
  const client = new ccxt.deribit({ apiKey, secret })
  client.urls.api = { rest: emu.restUrl } as typeof client.urls.api
  return client
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: 'BTC_USDC-PERPETUAL', tickSize: '0.5', stepSize: '0.001' }, 'BTC-PERPETUAL'],
    accounts: [{ clientId: apiKey, clientSecret: secret, balances: { USDC: '100000', BTC: '1' } }],
  })
  emu.engine.applyExternalDepth('BTC_USDC-PERPETUAL', [[120000n, 1000n]], [[120002n, 1500n]])
  emu.tick()
})

afterAll(async () => {
  await emu.close()
})

describe('ccxt.deribit against the emulator', () => {
  it('loadMarkets (get_currencies + get_instruments) and fetchOrderBook', async () => {
    const ex = makeClient()
    const markets = await ex.loadMarkets()
    const m = markets['BTC/USDC:USDC']
    expect(m).toMatchObject({ id: 'BTC_USDC-PERPETUAL', swap: true, linear: true, settle: 'USDC' })
    expect(m?.precision.price).toBe(0.5)
    const book = await ex.fetchOrderBook('BTC/USDC:USDC')
    expect(book.bids[0]).toEqual([60000, 1])
    expect(book.asks[0]).toEqual([60001, 1.5])
  })

  it('createOrder postOnly, fetchOpenOrders, cancelOrder, fetchBalance, fetchPositions', async () => {
    const ex = makeClient()
    await ex.loadMarkets()
    await expect(
      ex.createOrder('BTC/USDC:USDC', 'limit', 'buy', 0.01, 60001, { postOnly: true }),
    ).rejects.toBeInstanceOf(ccxt.InvalidOrder)
    const order = await ex.createOrder('BTC/USDC:USDC', 'limit', 'buy', 0.01, 59990, { postOnly: true, label: 'c1' })
    expect(order).toMatchObject({ status: 'open', price: 59990, amount: 0.01, side: 'buy', postOnly: true })
    const open = await ex.fetchOpenOrders('BTC/USDC:USDC')
    expect(open.map((o) => o.id)).toEqual([order.id])
    const cancelled = await ex.cancelOrder(String(order.id), 'BTC/USDC:USDC')
    expect(cancelled.status).toBe('canceled')
    const balance = await ex.fetchBalance()
    expect(balance.USDC?.total).toBe(100000)
    // take 0.5 BTC at 60001 → long 0.5
    await ex.createOrder('BTC/USDC:USDC', 'limit', 'buy', 0.5, 60001)
    const positions = await ex.fetchPositions(['BTC/USDC:USDC'])
    expect(positions[0]).toMatchObject({ symbol: 'BTC/USDC:USDC', side: 'long', contracts: 0.5, entryPrice: 60001 })
  })

  it('inverse BTC-PERPETUAL: market BTC/USD:BTC (contract 10 USD), createOrder in USD, fetchOrder, cancelOrder', async () => {
    const ex = makeClient()
    const markets = await ex.loadMarkets()
    expect(markets['BTC/USD:BTC']).toMatchObject({
      id: 'BTC-PERPETUAL',
      swap: true,
      inverse: true,
      linear: false,
      settle: 'BTC',
      contractSize: 10,
    })
    // amount is USD for inverse instruments (ccxt docs): 100 USD = 10 contracts
    const order = await ex.createOrder('BTC/USD:BTC', 'limit', 'buy', 100, 50000, { postOnly: true, label: 'inv-1' })
    expect(order).toMatchObject({ status: 'open', price: 50000, amount: 100, side: 'buy', symbol: 'BTC/USD:BTC' })
    const fetched = await ex.fetchOrder(String(order.id), 'BTC/USD:BTC')
    expect(fetched).toMatchObject({ id: order.id, status: 'open', amount: 100 })
    const cancelled = await ex.cancelOrder(String(order.id), 'BTC/USD:BTC')
    expect(cancelled.status).toBe('canceled')
  })

  it('ccxt.pro watchOrderBook follows the book', async () => {
    const ex = new ccxt.pro.deribit({})
    ex.urls.api = { rest: emu.restUrl, ws: emu.wsUrl } as typeof ex.urls.api
    await ex.loadHttpProxyAgent() // ccxt needs its agent loaded before it will open a plain ws:// URL
    try {
      const first = await ex.watchOrderBook('BTC_USDC-PERPETUAL')
      expect(first.bids[0]?.[0]).toBe(60000)
      emu.engine.applyExternalDepth('BTC_USDC-PERPETUAL', [[120001n, 700n]], [])
      emu.tick()
      let book = await ex.watchOrderBook('BTC_USDC-PERPETUAL')
      for (const deadline = Date.now() + 5000; book.bids[0]?.[0] !== 60000.5 && Date.now() < deadline; )
        book = await ex.watchOrderBook('BTC_USDC-PERPETUAL')
      expect(book.bids[0]?.slice(0, 2)).toEqual([60000.5, 0.7])
    } finally {
      await ex.close()
    }
  })
})
