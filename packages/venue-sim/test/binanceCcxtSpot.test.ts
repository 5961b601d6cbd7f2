import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningBinanceEmulator, startBinanceEmulator } from '../src/binance/index.js'

// Third-party client acceptance test (issue 13): ccxt 4.5.84 `binance` (spot) with its DEFAULT options, unchanged apart from
// URLs. Default options mean `fetchCurrencies: true`, so loadMarkets() signs `GET /sapi/v1/capital/config/getall`.
// The spot book: bid 2681.00, ask 2681.05, 1 ETH each; spot fees 10 bps, charged in the asset received.
const A = { apiKey: 'ccxtSpotKeyA', secret: 'ccxtSpotSecretA' }

let emu: RunningBinanceEmulator

beforeAll(async () => {
  emu = await startBinanceEmulator({
    symbols: ['ETHUSDT'],
    accounts: [{ apiKey: A.apiKey, apiSecret: A.secret, balances: { USDT: '100' }, spotBalances: { USDT: '10000' } }],
  })
  emu.engine.applyExternalDepth('spot:ETHUSDT', [[268100n, 10000n]], [[268105n, 10000n]])
  emu.tick()
})

afterAll(async () => {
  await emu.close()
})

function client() {
  const ex = new ccxt.binance({ apiKey: A.apiKey, secret: A.secret })
  const api = ex.urls.api as Record<string, unknown>
  ex.urls.api = {
    ...api,
    public: `${emu.restUrl}/api/v3`,
    private: `${emu.restUrl}/api/v3`,
    sapi: `${emu.restUrl}/sapi/v1`,
    fapiPublic: `${emu.restUrl}/fapi/v1`,
    fapiPublicV2: `${emu.restUrl}/fapi/v2`,
    fapiPublicV3: `${emu.restUrl}/fapi/v3`,
    fapiPrivate: `${emu.restUrl}/fapi/v1`,
    fapiPrivateV2: `${emu.restUrl}/fapi/v2`,
    fapiPrivateV3: `${emu.restUrl}/fapi/v3`,
    dapiPublic: `${emu.restUrl}/dapi/v1`,
  } as typeof ex.urls.api
  return ex
}

describe('ccxt.binance (spot) with default options against the emulator', () => {
  it('loadMarkets and fetchCurrencies read the coins and the spot wallet from capital/config/getall', async () => {
    const ex = client()
    expect(ex.options.fetchCurrencies).toBe(true)
    await ex.loadMarkets()
    expect(ex.markets?.['ETH/USDT']?.spot).toBe(true)
    // ccxt adds its own BNFCR entry (a hard-coded futures credit currency); the others come from getall.
    expect(Object.keys(ex.currencies).sort()).toEqual(['BNFCR', 'ETH', 'USDT'])
    expect([ex.currencies.ETH?.info?.coin, ex.currencies.USDT?.info?.coin]).toEqual(['ETH', 'USDT'])
    expect([ex.currencies.ETH?.name, ex.currencies.ETH?.active, ex.currencies.USDT?.name]).toEqual([
      'Ethereum',
      true,
      'TetherUS',
    ])
    const currencies = await ex.fetchCurrencies()
    const usdt = currencies.USDT?.info as Record<string, unknown>
    expect([usdt.coin, usdt.free, usdt.locked, usdt.networkList]).toEqual(['USDT', '10000.00000000', '0.00000000', []])
    // The futures wallet (100 USDT) is not the spot wallet.
    expect((currencies.ETH?.info as Record<string, unknown> | undefined)?.free).toBe('0.00000000')
  })

  it('fetchBalance, a resting order locks its quote and is cancelled, a market buy fills with a 10 bps fee in ETH', async () => {
    const ex = client()
    await ex.loadMarkets()
    const start = await ex.fetchBalance()
    expect([start.USDT?.free, start.USDT?.used, start.USDT?.total]).toEqual([10000, 0, 10000])

    const resting = await ex.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 2600)
    expect(resting.status).toBe('open')
    // 0.1 × 2600 = 260 USDT locked.
    const locked = await ex.fetchBalance()
    expect([locked.USDT?.free, locked.USDT?.used]).toEqual([9740, 260])
    const lockedInfo = (await ex.fetchCurrencies()).USDT?.info as Record<string, unknown>
    expect([lockedInfo.free, lockedInfo.locked]).toEqual(['9740.00000000', '260.00000000'])
    const cancelled = await ex.cancelOrder(resting.id as string, 'ETH/USDT')
    expect(cancelled.status).toBe('canceled')
    expect((await ex.fetchOpenOrders('ETH/USDT')).length).toBe(0)

    const bought = await ex.createOrder('ETH/USDT', 'market', 'buy', 0.1)
    expect([bought.status, bought.filled, bought.average]).toEqual(['closed', 0.1, 2681.05])
    const mine = await ex.fetchMyTrades('ETH/USDT')
    expect(mine.map((t) => [t.order, t.side, t.price, t.amount, t.takerOrMaker, t.fee?.currency])).toEqual([
      [bought.id, 'buy', 2681.05, 0.1, 'taker', 'ETH'],
    ])
    // 10 bps of the 0.1 ETH received.
    expect(mine[0]?.fee?.cost).toBeCloseTo(0.0001, 12)
    const end = await ex.fetchBalance()
    // ETH 0.1 − 0.0001; USDT 10000 − 0.1 × 2681.05 = 9731.895.
    expect(end.ETH?.total).toBeCloseTo(0.0999, 12)
    expect(end.USDT?.total).toBeCloseTo(9731.895, 10)
    const coins = await ex.fetchCurrencies()
    expect((coins.ETH?.info as Record<string, unknown> | undefined)?.free).toBe('0.09990000')
  })
})
