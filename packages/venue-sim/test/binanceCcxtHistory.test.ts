import ccxt, { type Exchange } from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningBinanceEmulator, startBinanceEmulator } from '../src/binance/index.js'

// Third-party client acceptance test (issue 13): ccxt 4.5.84 `binanceusdm` unified history, ticker, OHLCV, ledger and
// account-setting methods against the emulator, unchanged apart from URLs. Results are checked for meaning against the trades
// this test makes: B rests a post-only ask 0.05 @ 2681.02 that A takes, then A buys 0.1 at market from the external ask
// 2681.05. Fees: maker 2 bps, taker 5 bps of the notional.
const A = { apiKey: 'ccxtHistKeyA', secret: 'ccxtHistSecretA' }
const B = { apiKey: 'ccxtHistKeyB', secret: 'ccxtHistSecretB' }
const SYMBOL = 'ETH/USDT:USDT'

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
    dapiPublic: `${e.restUrl}/dapi/v1`,
    sapi: `${e.restUrl}/sapi/v1`,
    ws: { ...(base.ws as Record<string, unknown>), future: `${e.wsUrl}/ws` },
  }
}

function makeClient<T extends Exchange>(Ctor: new (config: object) => T, who: typeof A): T {
  const client = new Ctor({ apiKey: who.apiKey, secret: who.secret, options: { fetchCurrencies: false } })
  client.urls.api = ccxtUrls(emu, client.urls.api as Record<string, unknown>) as typeof client.urls.api
  return client
}

let a: Exchange
let b: Exchange
let makerOrderId: string
let takerOrderId: string
let marketOrderId: string
let cancelledOrderId: string

beforeAll(async () => {
  emu = await startBinanceEmulator({
    symbols: ['ETHUSDT'],
    accounts: [
      { apiKey: A.apiKey, apiSecret: A.secret, balances: { USDT: '10000' }, spotBalances: { USDT: '10000' } },
      { apiKey: B.apiKey, apiSecret: B.secret, balances: { USDT: '10000' } },
    ],
  })
  // External liquidity: bids 2681.00..2680.96, asks 2681.05..2681.09, 1.000 ETH each.
  const bids: Array<[bigint, bigint]> = []
  const asks: Array<[bigint, bigint]> = []
  for (let i = 0n; i < 5n; i++) {
    bids.push([268100n - i, 1000n])
    asks.push([268105n + i, 1000n])
  }
  emu.engine.applyExternalDepth('ETHUSDT', bids, asks)
  // Spot book: bid 2681.00, ask 2681.05, 1 ETH each (10000 lots of 0.0001).
  emu.engine.applyExternalDepth('spot:ETHUSDT', [[268100n, 10000n]], [[268105n, 10000n]])
  emu.tick()
  a = makeClient(ccxt.binanceusdm, A)
  b = makeClient(ccxt.binanceusdm, B)
  await a.loadMarkets()
  await b.loadMarkets()
  const cancelled = await a.createOrder(SYMBOL, 'limit', 'buy', 0.05, 2670, { postOnly: true })
  cancelledOrderId = cancelled.id as string
  await a.cancelOrder(cancelledOrderId, SYMBOL)
  const maker = await b.createOrder(SYMBOL, 'limit', 'sell', 0.05, 2681.02, { postOnly: true })
  makerOrderId = maker.id as string
  const taker = await a.createOrder(SYMBOL, 'limit', 'buy', 0.05, 2681.02, { timeInForce: 'IOC' })
  takerOrderId = taker.id as string
  const market = await a.createOrder(SYMBOL, 'market', 'buy', 0.1)
  marketOrderId = market.id as string
})

afterAll(async () => {
  await emu.close()
})

describe('ccxt.binanceusdm history against the emulator', () => {
  it('fetchMyTrades: each fill with its price, side, maker/taker and fee', async () => {
    const mine = await a.fetchMyTrades(SYMBOL)
    expect(mine.map((t) => [t.order, t.side, t.price, t.amount, t.takerOrMaker, t.fee?.currency])).toEqual([
      [takerOrderId, 'buy', 2681.02, 0.05, 'taker', 'USDT'],
      [marketOrderId, 'buy', 2681.05, 0.1, 'taker', 'USDT'],
    ])
    // 0.05 × 2681.02 = 134.051 → 5 bps = 0.0670255; 0.1 × 2681.05 = 268.105 → 5 bps = 0.1340525.
    expect(mine[0]?.fee?.cost).toBeCloseTo(0.0670255, 10)
    expect(mine[1]?.fee?.cost).toBeCloseTo(0.1340525, 10)
    expect(mine[0]?.cost).toBeCloseTo(134.051, 8)
    const theirs = await b.fetchMyTrades(SYMBOL)
    expect(theirs.map((t) => [t.order, t.side, t.price, t.amount, t.takerOrMaker])).toEqual([
      [makerOrderId, 'sell', 2681.02, 0.05, 'maker'],
    ])
    // Maker 2 bps of 134.051 = 0.0268102.
    expect(theirs[0]?.fee?.cost).toBeCloseTo(0.0268102, 10)
    // Both sides of the match carry the same trade id.
    expect(theirs[0]?.id).toBe(mine[0]?.id)
  })

  it('fetchOrders: cancelled and filled orders with their final state', async () => {
    const orders = await a.fetchOrders(SYMBOL)
    expect(orders.map((o) => [o.id, o.status, o.side, o.type, o.filled, o.average])).toEqual([
      [cancelledOrderId, 'canceled', 'buy', 'limit', 0, undefined],
      [takerOrderId, 'closed', 'buy', 'limit', 0.05, 2681.02],
      [marketOrderId, 'closed', 'buy', 'market', 0.1, 2681.05],
    ])
  })

  it('fetchTrades: the public tape has both prints with the taker side', async () => {
    const trades = await a.fetchTrades(SYMBOL)
    expect(trades.map((t) => [t.price, t.amount, t.side])).toEqual([
      [2681.02, 0.05, 'buy'],
      [2681.05, 0.1, 'buy'],
    ])
  })

  it('fetchOHLCV: the candles hold exactly the prints, grouped by minute', async () => {
    const prints = await a.fetchMyTrades(SYMBOL)
    const candles = await a.fetchOHLCV(SYMBOL, '1m')
    // Expected candles computed from the fills: open, high, low, close and volume per UTC minute.
    const expected = new Map<number, [number, number, number, number, number]>()
    for (const t of prints) {
      const minute = Math.floor((t.timestamp as number) / 60_000) * 60_000
      const c = expected.get(minute)
      const price = t.price as number
      const amount = t.amount as number
      if (!c) expected.set(minute, [price, price, price, price, amount])
      else expected.set(minute, [c[0], Math.max(c[1], price), Math.min(c[2], price), price, c[4] + amount])
    }
    const traded = candles.filter((c) => expected.has(c[0] as number))
    expect(traded.map((c) => [c[0], c[1], c[2], c[3], c[4], Number((c[5] as number).toFixed(3))])).toEqual(
      [...expected].map(([m, c]) => [m, c[0], c[1], c[2], c[3], Number(c[4].toFixed(3))]),
    )
    // Minutes without prints (if the clock crossed one) repeat the close with no volume.
    for (const c of candles.filter((x) => !expected.has(x[0] as number))) expect(c[5]).toBe(0)
    expect(candles[candles.length - 1]?.[4]).toBe(2681.05)
  })

  it('fetchTicker / fetchTickers: last price and 24 h volumes of the prints', async () => {
    const t = await a.fetchTicker(SYMBOL)
    expect(t.last).toBe(2681.05)
    expect(t.open).toBe(2681.02)
    expect(t.high).toBe(2681.05)
    expect(t.low).toBe(2681.02)
    expect(t.baseVolume).toBeCloseTo(0.15, 10)
    // 134.051 + 268.105
    expect(t.quoteVolume).toBeCloseTo(402.156, 8)
    const all = await a.fetchTickers([SYMBOL])
    expect(all[SYMBOL]?.last).toBe(2681.05)
  })

  it('fetchLedger: the commissions and a deposit, in order, with their amounts', async () => {
    emu.emulator.deposit(A.apiKey, 'USDT', '50')
    const ledger = await a.fetchLedger('USDT')
    expect(ledger.map((e) => [e.type, e.direction, e.currency])).toEqual([
      ['commission', 'out', 'USDT'],
      ['commission', 'out', 'USDT'],
      ['transfer', 'in', 'USDT'],
    ])
    expect(ledger[0]?.amount).toBeCloseTo(0.0670255, 10)
    expect(ledger[1]?.amount).toBeCloseTo(0.1340525, 10)
    expect(ledger[2]?.amount).toBe(50)
  })

  it("setLeverage is per account: A's change leaves B at the default 20x", async () => {
    await a.setLeverage(7, SYMBOL)
    const leverageOf = async (ex: Exchange) =>
      ((await ex.fapiPrivateV2GetPositionRisk({ symbol: 'ETHUSDT' })) as Array<{ leverage: string }>)[0]?.leverage
    expect(await leverageOf(a)).toBe('7')
    expect(await leverageOf(b)).toBe('20')
  })

  it('setPositionMode and setMarginMode answer as Binance does for a one-way, cross-margin account', async () => {
    await expect(a.setPositionMode(false, SYMBOL)).rejects.toThrow(/-4059.*No need to change position side/)
    await expect(a.setPositionMode(true, SYMBOL)).rejects.toThrow(/-1130/)
    await expect(a.setMarginMode('cross', SYMBOL)).rejects.toThrow(/-4046.*No need to change margin type/)
    await expect(a.setMarginMode('isolated', SYMBOL)).rejects.toThrow(/-1130/)
  })
})

describe('ccxt.pro binanceusdm streams against the emulator', () => {
  it('watchTicker and watchOHLCV follow a new print', async () => {
    const ex = makeClient(ccxt.pro.binanceusdm, A)
    await ex.loadHttpProxyAgent()
    await ex.loadMarkets()
    const ticker = ex.watchTicker(SYMBOL)
    const ohlcv = ex.watchOHLCV(SYMBOL, '1m')
    // Wait until both subscriptions reached the emulator, then print 0.2 @ 2681.09 (a taker buy through the asks).
    const deadline = Date.now() + 10_000
    const subscribed = () =>
      emu.emulator.hub.subscribedSuffixes('ethusdt@kline_').includes('1m') &&
      emu.emulator.hub.hasSubscriber(['ethusdt@ticker', 'ethusdt@miniTicker'])
    while (!subscribed()) {
      if (Date.now() > deadline) throw new Error('ccxt never subscribed @ticker and @kline_1m')
      await new Promise((r) => setTimeout(r, 20))
    }
    emu.engine.applyExternalTrade('ETHUSDT', 268109n, 200n, 'BUY')
    const t = await ticker
    expect(t.last).toBe(2681.09)
    expect(t.high).toBe(2681.09)
    const candles = await ohlcv
    const last = candles[candles.length - 1]
    expect(last?.[4]).toBe(2681.09)
    // The candle is the one of the print's minute on the emulator tape.
    const printedAt = emu.emulator.history.trades('ETHUSDT').at(-1)?.tsMs as number
    expect(last?.[0]).toBe(Math.floor(printedAt / 60_000) * 60_000)
    await ex.close()
  })
})

describe('ccxt.binance (spot) against the emulator', () => {
  it('fetchMyTrades, fetchTrades, fetchOHLCV and fetchTicker after a spot market buy (fee in the base asset)', async () => {
    // Default options: loadMarkets also reads /sapi/v1/capital/config/getall (the coins and the spot wallet), /fapi and /dapi
    // exchangeInfo and the margin pair lists (empty here).
    const ex = new ccxt.binance({ apiKey: A.apiKey, secret: A.secret })
    ex.urls.api = ccxtUrls(emu, ex.urls.api as Record<string, unknown>) as typeof ex.urls.api
    await ex.loadMarkets()
    const order = await ex.createOrder('ETH/USDT', 'market', 'buy', 0.1)
    expect(order.status).toBe('closed')
    const mine = await ex.fetchMyTrades('ETH/USDT')
    expect(mine.map((t) => [t.order, t.side, t.price, t.amount, t.takerOrMaker, t.fee?.currency])).toEqual([
      [order.id, 'buy', 2681.05, 0.1, 'taker', 'ETH'],
    ])
    // 10 bps of 0.1 ETH.
    expect(mine[0]?.fee?.cost).toBeCloseTo(0.0001, 10)
    const tape = await ex.fetchTrades('ETH/USDT')
    expect(tape.map((t) => [t.price, t.amount, t.side])).toEqual([[2681.05, 0.1, 'buy']])
    const candles = await ex.fetchOHLCV('ETH/USDT', '1h')
    const hour = Math.floor((mine[0]?.timestamp as number) / 3_600_000) * 3_600_000
    expect(candles[0]).toEqual([hour, 2681.05, 2681.05, 2681.05, 2681.05, 0.1])
    // Only if the clock crossed an hour since the buy: later candles repeat the close with no volume.
    for (const c of candles.slice(1)) expect([c[4], c[5]]).toEqual([2681.05, 0])
    const t = await ex.fetchTicker('ETH/USDT')
    expect([t.last, t.baseVolume, t.bid, t.ask]).toEqual([2681.05, 0.1, 2681, 2681.05])
  })
})
