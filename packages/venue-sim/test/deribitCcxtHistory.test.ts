import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'

// Third-party client acceptance for a paper-trading day and restart reconciliation: ccxt `deribit` (REST, deri-hmac
// signing, unchanged apart from its URL) reads the history of what the emulator traded: fetchTrades, fetchMyTrades,
// fetchClosedOrders, fetchOHLCV, fetchFundingRate, fetchTickers / fetchTicker. Expected values are worked out by hand
// from the orders placed below (maker fee 0.01 %, taker fee 0.05 % of notional).
const SYMBOL = 'BTC/USDC:USDC'
const ID = 'BTC_USDC-PERPETUAL'
const MAKER = { apiKey: 'hist-maker', secret: 'hist-maker-secret' }
const TAKER = { apiKey: 'hist-taker', secret: 'hist-taker-secret' }
/** 2026-01-01T00:00:05Z: the emulator's clock, moved by hand. */
const MINUTE = 1_767_225_600_000
let now = MINUTE + 5_000
let emu: RunningDeribitEmulator

function client(keys: { apiKey: string; secret: string }) {
  const ex = new ccxt.deribit(keys)
  ex.urls.api = { rest: emu.restUrl } as typeof ex.urls.api
  return ex
}

beforeAll(async () => {
  emu = await startDeribitEmulator({
    clock: { nowMs: () => now },
    instruments: [{ instrumentName: ID, tickSize: '0.5', stepSize: '0.001', makerFeePpm: 100, takerFeePpm: 500 }],
    accounts: [
      { clientId: MAKER.apiKey, clientSecret: MAKER.secret, balances: { USDC: '100000' } },
      { clientId: TAKER.apiKey, clientSecret: TAKER.secret, balances: { USDC: '100000' } },
    ],
    fundingRates: { [ID]: '0.0001' },
  })
  // external book 60000 / 60020 so our crossing orders only meet each other
  emu.engine.applyExternalDepth(ID, [[120000n, 1000n]], [[120040n, 1500n]])
  emu.tick()
  const maker = client(MAKER)
  const taker = client(TAKER)
  await maker.loadMarkets()
  await taker.loadMarkets()
  // 00:00:05 maker sells 0.2 @ 60010, taker lifts it
  await maker.createOrder(SYMBOL, 'limit', 'sell', 0.2, 60010, { postOnly: true })
  await taker.createOrder(SYMBOL, 'limit', 'buy', 0.2, 60010)
  // 00:00:20 maker bids 0.1 @ 60005, taker hits it
  now = MINUTE + 20_000
  await maker.createOrder(SYMBOL, 'limit', 'buy', 0.1, 60005, { postOnly: true })
  await taker.createOrder(SYMBOL, 'limit', 'sell', 0.1, 60005)
  // 00:00:30 a maker order that is cancelled unfilled
  now = MINUTE + 30_000
  const idle = await maker.createOrder(SYMBOL, 'limit', 'buy', 0.05, 59000, { postOnly: true })
  await maker.cancelOrder(String(idle.id), SYMBOL)
  // 00:01:10 an external print (replayed market) 0.3 @ 60015, taker side buy
  now = MINUTE + 70_000
  emu.engine.applyExternalTrade(ID, 120030n, 300n, 'BUY')
})

afterAll(async () => {
  await emu?.close()
})

describe('ccxt.deribit history against the emulator', () => {
  it('fetchTrades (get_last_trades_by_instrument and _and_time) lists every print, ours and the replayed one', async () => {
    const ex = client(MAKER)
    const recent = await ex.fetchTrades(SYMBOL)
    expect(recent.map((t) => [t.timestamp, t.price, t.amount, t.side])).toEqual([
      [MINUTE + 5_000, 60010, 0.2, 'buy'],
      [MINUTE + 20_000, 60005, 0.1, 'sell'],
      [MINUTE + 70_000, 60015, 0.3, 'buy'],
    ])
    const since = await ex.fetchTrades(SYMBOL, MINUTE + 10_000, 1)
    expect(since.map((t) => t.price)).toEqual([60005])
  })

  it('fetchMyTrades (get_user_trades_by_instrument / _by_currency): each fill with its side, liquidity and fee', async () => {
    const taker = await client(TAKER).fetchMyTrades(SYMBOL)
    expect(
      taker.map((t) => [t.timestamp, t.side, t.price, t.amount, t.takerOrMaker, t.fee?.cost, t.fee?.currency]),
    ).toEqual([
      [MINUTE + 5_000, 'buy', 60010, 0.2, 'taker', 6.001, 'USDC'], // 0.2 · 60010 · 0.0005
      [MINUTE + 20_000, 'sell', 60005, 0.1, 'taker', 3.00025, 'USDC'], // 0.1 · 60005 · 0.0005
    ])
    const maker = await client(MAKER).fetchMyTrades(undefined, undefined, undefined, { code: 'USDC' })
    expect(maker.map((t) => [t.side, t.takerOrMaker, t.fee?.cost])).toEqual([
      ['sell', 'maker', 1.2002], // 0.2 · 60010 · 0.0001
      ['buy', 'maker', 0.60005], // 0.1 · 60005 · 0.0001
    ])
    // the trade ids are the tape's
    const tape = await client(MAKER).fetchTrades(SYMBOL)
    expect(maker.map((t) => t.id)).toEqual(tape.slice(0, 2).map((t) => t.id))
    const since = await client(TAKER).fetchMyTrades(SYMBOL, MINUTE + 10_000)
    expect(since.map((t) => t.price)).toEqual([60005])
  })

  it('fetchClosedOrders (get_order_history_by_instrument / _by_currency): filled orders, not the one cancelled unfilled', async () => {
    const ex = client(MAKER)
    const byInstrument = await ex.fetchClosedOrders(SYMBOL)
    expect(byInstrument.map((o) => [o.side, o.price, o.amount, o.filled, o.status, o.average])).toEqual([
      ['sell', 60010, 0.2, 0.2, 'closed', 60010],
      ['buy', 60005, 0.1, 0.1, 'closed', 60005],
    ])
    const byCurrency = await ex.fetchClosedOrders(undefined, undefined, undefined, { code: 'USDC' })
    expect(byCurrency.map((o) => o.id).sort()).toEqual(byInstrument.map((o) => o.id).sort())
    const withUnfilled = await ex.fetchClosedOrders(SYMBOL, undefined, undefined, { include_unfilled: true })
    expect(withUnfilled.map((o) => [o.price, o.filled, o.status])).toContainEqual([59000, 0, 'canceled'])
    expect(await client(TAKER).fetchClosedOrders(SYMBOL)).toHaveLength(2)
  })

  it('fetchOHLCV (get_tradingview_chart_data): 1 m candles of the prints', async () => {
    const candles = await client(MAKER).fetchOHLCV(SYMBOL, '1m', MINUTE, 2)
    expect(candles).toEqual([
      [MINUTE, 60010, 60010, 60005, 60005, 0.3],
      [MINUTE + 60_000, 60015, 60015, 60015, 60015, 0.3],
    ])
  })

  it('fetchFundingRate (get_funding_rate_value) reports the configured 8 h rate; ticker funding_8h too', async () => {
    const ex = client(MAKER)
    const rate = await ex.fetchFundingRate(SYMBOL)
    expect(rate.fundingRate).toBe(0.0001)
    const ticker = await ex.fetchTicker(SYMBOL)
    expect(ticker.info.funding_8h).toBe(0.0001)
  })

  it('fetchTickers (get_book_summary_by_currency): top of book and 24 h statistics of the tape', async () => {
    const ex = client(MAKER)
    const tickers = await ex.fetchTickers([SYMBOL])
    const t = tickers[SYMBOL]
    expect(t).toMatchObject({ bid: 60000, ask: 60020, last: 60015, high: 60015, low: 60005, baseVolume: 0.6 })
    // 0.2 · 60010 + 0.1 · 60005 + 0.3 · 60015
    expect(t?.quoteVolume).toBeCloseTo(36_007.0, 6)
    const summary = (await ex.publicGetGetBookSummaryByInstrument({ instrument_name: ID })) as {
      result: Array<Record<string, unknown>>
    }
    // open interest: the taker is long 0.2 − 0.1 = 0.1 (the maker short 0.1)
    expect(summary.result[0]).toMatchObject({ instrument_name: ID, open_interest: 0.1, funding_8h: 0.0001 })
  })

  it('fetchOrderTrades (get_user_trades_by_order): the fills of one order', async () => {
    const ex = client(TAKER)
    const [first] = await ex.fetchMyTrades(SYMBOL)
    const trades = await ex.fetchOrderTrades(String(first?.order), SYMBOL)
    expect(trades.map((t) => [t.id, t.price, t.amount, t.fee?.cost])).toEqual([[first?.id, 60010, 0.2, 6.001]])
    await expect(ex.fetchOrderTrades('USDC-999999999', SYMBOL)).rejects.toBeInstanceOf(ccxt.OrderNotFound)
  })

  it('fetchFundingRateHistory (get_funding_rate_history): one entry per hour the clock passed, at the 8 h rate', async () => {
    const ex = client(MAKER)
    expect(await ex.fetchFundingRateHistory(SYMBOL, MINUTE)).toEqual([])
    now = MINUTE + 2 * 3_600_000 + 5_000
    emu.tick()
    const history = await ex.fetchFundingRateHistory(SYMBOL, MINUTE)
    // the index is the mid of the external book 60000 / 60020 (no mark price set)
    expect(history.map((h) => [h.timestamp, h.fundingRate, (h.info as { index_price: number }).index_price])).toEqual([
      [MINUTE + 3_600_000, 0.0001, 60010],
      [MINUTE + 7_200_000, 0.0001, 60010],
    ])
  })
})
