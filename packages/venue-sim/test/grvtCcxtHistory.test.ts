import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningGrvtEmulator, startGrvtEmulator } from '../src/grvt/index.js'

// Third-party client acceptance for a paper-trading day and restart reconciliation: ccxt 4.5.84 `grvt` (wallet login,
// EIP-712 orders, unchanged apart from its URLs) reads what the emulator traded: fetchTrades (trade_history),
// fetchMyTrades (fill_history), fetchOrders (order_history), fetchOHLCV (kline), fetchFundingRateHistory (funding),
// setLeverage / fetchLeverages (set_initial_leverage / get_all_initial_leverage), fetchTicker (24 h statistics) and
// ccxt.pro watchTicker (v1.ticker.s). Expected values are worked out by hand from the orders placed below (GRVT's
// emulator fees: maker −0.01 % rebate, taker 0.045 %).
//
// The wallet keys are the public anvil/hardhat development keys #1 and #2 (they hold nothing anywhere).
const WALLET_A = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const WALLET_B = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'
const SUB_A = '8289849667772468'
const SUB_B = '4110889093865147'
const SYMBOL = 'BTC/USDT:USDT'
const INSTRUMENT = 'BTC_USDT_Perp'
const EIGHT_HOURS = 8 * 3_600_000
/** The emulator's clock: wall time plus a skew the funding test moves forward. */
let skewMs = 0
let emu: RunningGrvtEmulator
let a: InstanceType<typeof ccxt.grvt>
let b: InstanceType<typeof ccxt.grvt>
/** Wall-clock times (ms) of the two fills, read from the emulator's clock around each order. */
const fillTimes: Array<[number, number]> = []

function pointAtEmulator<T extends InstanceType<typeof ccxt.grvt>>(client: T): T {
  client.setSandboxMode(true) // testnet: EIP-712 chain id 326, as the emulator
  client.urls.api = {
    privateEdge: `${emu.restUrl}/`,
    privateTrading: `${emu.restUrl}/`,
    publicMarket: `${emu.restUrl}/`,
    ws: { publicMarket: emu.wsUrl, privateTrading: emu.wsUrl },
  } as unknown as typeof client.urls.api
  return client
}

// no builder: plain `Order` signatures, and no builder fee beside the venue fee
const makeClient = (privateKey: string) =>
  pointAtEmulator(new ccxt.grvt({ privateKey, options: { builderFee: false }, enableRateLimit: false }))

const now = () => Date.now() + skewMs

beforeAll(async () => {
  emu = await startGrvtEmulator({
    clock: { nowMs: now },
    tickIntervalMs: 10,
    sessionTtlSec: 86_400,
    instruments: [{ instrument: INSTRUMENT, instrumentHash: '0x030501', tickSize: '0.1', minSize: '0.001' }],
    accounts: [
      { mainAccountPrivateKey: WALLET_A, signerPrivateKeys: [], subAccountId: SUB_A, balances: { USDT: '100000' } },
      { mainAccountPrivateKey: WALLET_B, signerPrivateKeys: [], subAccountId: SUB_B, balances: { USDT: '100000' } },
    ],
    fundingRates: { [INSTRUMENT]: '0.01' },
  })
  // other participants: 1.5 BTC bid at 64000.0 and offered at 66000.0
  emu.engine.applyExternalDepth(INSTRUMENT, [[640000n, 1500n]], [[660000n, 1500n]])
  emu.tick()
  a = makeClient(WALLET_A)
  b = makeClient(WALLET_B)
  await a.loadMarkets()
  await b.loadMarkets()
  // fill 1: A bids 0.01 @ 65000.1 (maker), B sells into it (taker)
  let before = now()
  await a.createOrder(SYMBOL, 'limit', 'buy', 0.01, 65000.1, { postOnly: true })
  await b.createOrder(SYMBOL, 'limit', 'sell', 0.01, 65000.1)
  fillTimes.push([before, now()])
  // fill 2: A offers 0.02 @ 65010.0 (maker), B lifts it (taker)
  before = now()
  await a.createOrder(SYMBOL, 'limit', 'sell', 0.02, 65010, { postOnly: true })
  await b.createOrder(SYMBOL, 'limit', 'buy', 0.02, 65010)
  fillTimes.push([before, now()])
  // an order cancelled unfilled
  const idle = await a.createOrder(SYMBOL, 'limit', 'buy', 0.005, 60000, { postOnly: true })
  await a.cancelOrder(String(idle.id))
})

afterAll(async () => {
  await emu?.close()
})

describe('ccxt.grvt history against the emulator', () => {
  it('fetchTrades (trade_history): both prints with price, size and the taker side', async () => {
    const trades = await a.fetchTrades(SYMBOL)
    expect(trades.map((t) => [t.price, t.amount, t.side])).toEqual([
      [65000.1, 0.01, 'sell'],
      [65010, 0.02, 'buy'],
    ])
    trades.forEach((t, i) => {
      const [from, to] = fillTimes[i] ?? [0, 0]
      expect(t.timestamp).toBeGreaterThanOrEqual(from)
      expect(t.timestamp).toBeLessThanOrEqual(to)
    })
    const since = await a.fetchTrades(SYMBOL, fillTimes[1]?.[0])
    expect(since.map((t) => t.price)).toEqual([65010])
  })

  it('fetchMyTrades (fill_history): each fill with its role and fee; fee_rate in percentage points', async () => {
    const taker = await b.fetchMyTrades(SYMBOL)
    expect(taker.map((t) => [t.side, t.price, t.amount, t.takerOrMaker, t.fee?.cost])).toEqual([
      ['sell', 65000.1, 0.01, 'taker', 0.29250045], // 0.01 · 65000.1 · 0.045 %
      ['buy', 65010, 0.02, 'taker', 0.58509], // 0.02 · 65010 · 0.045 %
    ])
    expect(taker.map((t) => (t.info as { fee_rate: string }).fee_rate)).toEqual(['0.045', '0.045'])
    const maker = await a.fetchMyTrades(SYMBOL)
    expect(maker.map((t) => [t.side, t.takerOrMaker, t.fee?.cost])).toEqual([
      ['buy', 'maker', -0.0650001], // rebate 0.01 · 65000.1 · 0.01 %
      ['sell', 'maker', -0.13002], // rebate 0.02 · 65010 · 0.01 %
    ])
    expect(maker.map((t) => (t.info as { fee_rate: string }).fee_rate)).toEqual(['-0.01', '-0.01'])
    // the fills' trade ids are the tape's
    expect(maker.map((t) => t.id)).toEqual((await a.fetchTrades(SYMBOL)).map((t) => t.id))
  })

  it('fetchOrders (order_history): the filled orders and the one cancelled, with fills and states', async () => {
    const orders = await a.fetchOrders(SYMBOL)
    const rows = orders.map((o) => [o.side, o.price, o.amount, o.filled, o.status]).sort()
    expect(rows).toEqual(
      [
        ['buy', 60000, 0.005, 0, 'canceled'],
        ['buy', 65000.1, 0.01, 0.01, 'closed'],
        ['sell', 65010, 0.02, 0.02, 'closed'],
      ].sort(),
    )
    const closed = await b.fetchClosedOrders(SYMBOL)
    expect(closed.map((o) => [o.side, o.filled, o.average])).toEqual([
      ['sell', 0.01, 65000.1],
      ['buy', 0.02, 65010],
    ])
  })

  it('fetchOHLCV (kline CI_1_M): the minute candles of the prints', async () => {
    const [first, second] = fillTimes.map(([, to]) => Math.floor(to / 60_000) * 60_000)
    const candles = await a.fetchOHLCV(SYMBOL, '1m', first)
    if (first === second) expect(candles[0]).toEqual([first, 65000.1, 65010, 65000.1, 65010, 0.03])
    else
      expect(candles.slice(0, 2)).toEqual([
        [first, 65000.1, 65000.1, 65000.1, 65000.1, 0.01],
        [second, 65010, 65010, 65010, 65010, 0.02],
      ])
  })

  it('fetchTicker (ticker): top of book and 24 h statistics; watchTicker (ccxt.pro, v1.ticker.s)', async () => {
    const ticker = await a.fetchTicker(SYMBOL)
    // taker buys 0.02 (quote 1300.2); taker sells 0.01 (ccxt reads buy volume only)
    expect(ticker).toMatchObject({ bid: 64000, ask: 66000, last: 65010, high: 65010, low: 65000.1, open: 65000.1 })
    expect(ticker.info).toMatchObject({
      buy_volume_24h_b: '0.020',
      sell_volume_24h_b: '0.010',
      buy_volume_24h_q: '1300.2000',
      sell_volume_24h_q: '650.0010',
      funding_rate_8h_curr: '0.01',
      open_interest: '0.010', // B is long 0.02 − 0.01
    })
    const pro = pointAtEmulator(new ccxt.pro.grvt({}))
    await pro.loadHttpProxyAgent()
    try {
      const streamed = await pro.watchTicker(SYMBOL)
      expect(streamed).toMatchObject({ symbol: SYMBOL, bid: 64000, ask: 66000, last: 65010, high: 65010 })
      emu.engine.applyExternalDepth(INSTRUMENT, [[645000n, 1000n]], [])
      let next = await pro.watchTicker(SYMBOL)
      for (const deadline = Date.now() + 5000; next.bid !== 64500 && Date.now() < deadline; )
        next = await pro.watchTicker(SYMBOL)
      expect(next.bid).toBe(64500)
    } finally {
      await pro.close()
    }
  })

  it('setLeverage (set_initial_leverage) per sub-account; fetchLeverages and positions report it', async () => {
    await a.setLeverage(10, SYMBOL)
    // ccxt 4.5.84 keys get_all_initial_leverage results by an undefined market when given symbols: read them all
    const leverageOf = async (client: typeof a) =>
      Object.values(await client.fetchLeverages()).find((l) => l.symbol === SYMBOL)
    expect(await leverageOf(a)).toMatchObject({ symbol: SYMBOL, longLeverage: 10, shortLeverage: 10 })
    // B keeps the default 50
    expect(await leverageOf(b)).toMatchObject({ symbol: SYMBOL, longLeverage: 50 })
    expect((await b.fetchPositions([SYMBOL]))[0]?.leverage).toBe(50)
    expect((await a.fetchPositions([SYMBOL]))[0]?.leverage).toBe(10)
    // the margin follows: A is short 0.01 (bought 0.01, sold 0.02), initial margin = |notional| / 10; B's / 50
    const viewA = emu.engine.positionView('grvt-0', INSTRUMENT)
    const viewB = emu.engine.positionView('grvt-1', INSTRUMENT)
    expect(viewA.lots).toBe(-10n)
    expect(viewA.initialMarginE8).toBe((viewA.notionalE8 < 0n ? -viewA.notionalE8 : viewA.notionalE8) / 10n)
    expect(viewB.initialMarginE8).toBe((viewB.notionalE8 < 0n ? -viewB.notionalE8 : viewB.notionalE8) / 50n)
    await expect(a.setLeverage(500, SYMBOL)).rejects.toBeInstanceOf(ccxt.BadRequest)
  })

  it('fetchFundingRateHistory (funding): one entry per 8 h funding time the clock passed, at the configured rate', async () => {
    expect(await a.fetchFundingRateHistory(SYMBOL)).toEqual([])
    // move the emulator's clock 1 s past the next two funding times
    const nextFunding = (Math.floor(now() / EIGHT_HOURS) + 1) * EIGHT_HOURS
    skewMs += nextFunding + EIGHT_HOURS + 1000 - now()
    emu.tick()
    const history = await a.fetchFundingRateHistory(SYMBOL)
    // 0.01 % per 8 h = 0.0001 as a fraction (ccxt divides GRVT's percentage points by 100)
    expect(history.map((h) => [h.timestamp, h.fundingRate])).toEqual([
      [nextFunding, 0.0001],
      [nextFunding + EIGHT_HOURS, 0.0001],
    ])
  })
})
