import ccxt from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'

// Issue 13 acceptance, the unified methods no other test exercised: ccxt 4.5.84 `deribit` (REST and pro), unchanged apart
// from its URLs. Expectations are computed here from the trades this file makes: external book 60000 / 60020; fees maker
// 0.01 %, taker 0.05 % of the notional (USDC).
const SYMBOL = 'BTC/USDC:USDC'
const ID = 'BTC_USDC-PERPETUAL'
const MAKER = { apiKey: 'acc-deribit-maker', secret: 'acc-deribit-maker-secret' }
const TAKER = { apiKey: 'acc-deribit-taker', secret: 'acc-deribit-taker-secret' }
let emu: RunningDeribitEmulator

function rest(keys: { apiKey: string; secret: string }) {
  const ex = new ccxt.deribit(keys)
  ex.urls.api = { rest: emu.restUrl } as typeof ex.urls.api
  return ex
}

function pro(keys: { apiKey: string; secret: string }) {
  const ex = new ccxt.pro.deribit(keys)
  ex.urls.api = { rest: emu.restUrl, ws: emu.wsUrl } as typeof ex.urls.api
  return ex
}

/** `p`, or a rejection naming what never arrived. */
function within<T>(what: string, p: Promise<T>, ms = 5_000): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)),
  ])
}

async function waitFor(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Whether some socket subscribed `channel` (the emulator's connection list is private: read it for the wait only). */
const subscribed = (channel: string) =>
  [...(emu.emulator as unknown as { connections: Set<{ channels: Set<string> }> }).connections].some((c) =>
    c.channels.has(channel),
  )

beforeAll(async () => {
  emu = await startDeribitEmulator({
    instruments: [{ instrumentName: ID, tickSize: '0.5', stepSize: '0.001', makerFeePpm: 100, takerFeePpm: 500 }],
    accounts: [
      { clientId: MAKER.apiKey, clientSecret: MAKER.secret, balances: { USDC: '100000' } },
      { clientId: TAKER.apiKey, clientSecret: TAKER.secret, balances: { USDC: '100000' } },
    ],
  })
  emu.engine.applyExternalDepth(ID, [[120000n, 1000n]], [[120040n, 1500n]])
  emu.tick()
})

afterAll(async () => {
  await emu?.close()
})

describe('ccxt.pro deribit: streams', () => {
  it('watchTrades, watchTicker and watchMyTrades see a fill made here, with the taker fee', async () => {
    const ex = pro(TAKER)
    await ex.loadHttpProxyAgent()
    try {
      await ex.loadMarkets()
      const trades = ex.watchTrades(SYMBOL)
      const ticker = ex.watchTicker(SYMBOL)
      const mine = ex.watchMyTrades(SYMBOL)
      await waitFor('trades, ticker and user.trades subscriptions', () =>
        ['trades.BTC_USDC-PERPETUAL.100ms', 'ticker.BTC_USDC-PERPETUAL.100ms', 'user.trades.any.any.raw'].every(
          subscribed,
        ),
      )
      const maker = rest(MAKER)
      const taker = rest(TAKER)
      await Promise.all([maker.loadMarkets(), taker.loadMarkets()])
      await maker.createOrder(SYMBOL, 'limit', 'sell', 0.2, 60010, { postOnly: true })
      const bought = await taker.createOrder(SYMBOL, 'limit', 'buy', 0.2, 60010)
      expect(bought.status).toBe('closed')

      const printed = await within('trades notification', trades)
      expect(printed.map((t) => [t.symbol, t.price, t.amount, t.side])).toEqual([[SYMBOL, 60010, 0.2, 'buy']])
      const fills = await within('user.trades notification', mine)
      expect(fills.map((t) => [t.order, t.side, t.price, t.amount, t.takerOrMaker, t.fee?.currency])).toEqual([
        [bought.id, 'buy', 60010, 0.2, 'taker', 'USDC'],
      ])
      // 0.05 % × 0.2 × 60010 = 6.001 USDC.
      expect(fills[0]?.fee?.cost).toBeCloseTo(6.001, 10)
      // The ticker notifies on every book change, the first one here being the maker's ask (no print yet). Wait for the
      // next one, after a change of the external bid size: it reports the print.
      await within('ticker notification', ticker)
      const after = ex.watchTicker(SYMBOL)
      emu.engine.applyExternalDepth(ID, [[120000n, 2000n]], [])
      emu.tick()
      const t = await within('ticker after the fill', after)
      expect([t.symbol, t.last, t.bid, t.bidVolume, t.ask]).toEqual([SYMBOL, 60010, 60000, 2, 60020])
    } finally {
      await ex.close()
    }
  })

  it('watchOrders follows an order made here from open to cancelled', async () => {
    const ex = pro(MAKER)
    await ex.loadHttpProxyAgent()
    try {
      await ex.loadMarkets()
      const orders = ex.watchOrders(SYMBOL)
      await waitFor('user.orders subscription', () => subscribed('user.orders.any.any.raw'))
      const placed = await rest(MAKER).createOrder(SYMBOL, 'limit', 'buy', 0.1, 59000, { postOnly: true })
      const open = await within('user.orders notification', orders)
      expect(open.map((o) => [o.id, o.status, o.side, o.price, o.amount])).toEqual([
        [placed.id, 'open', 'buy', 59000, 0.1],
      ])
      const next = ex.watchOrders(SYMBOL)
      await rest(MAKER).cancelOrder(String(placed.id), SYMBOL)
      const cancelled = await within('cancel notification', next)
      expect(cancelled.at(-1)?.status).toBe('canceled')
    } finally {
      await ex.close()
    }
  })

  it('watchOHLCV (chart.trades) has the candle of a print made here', async () => {
    const ex = pro(TAKER)
    await ex.loadHttpProxyAgent()
    try {
      await ex.loadMarkets()
      const candles = ex.watchOHLCV(SYMBOL, '1m')
      await waitFor('chart.trades subscription', () => subscribed('chart.trades.BTC_USDC-PERPETUAL.1'))
      emu.engine.applyExternalTrade(ID, 120030n, 300n, 'BUY')
      const printedAt = emu.emulator.history.trades(ID).at(-1)?.tsMs as number
      const minute = Math.floor(printedAt / 60_000) * 60_000
      const last = (await within('chart.trades notification', candles)).at(-1)
      expect(last?.[0]).toBe(minute)
      expect(last?.[4]).toBe(60015)
      expect(last?.[2]).toBeGreaterThanOrEqual(60015)
      // The same candle as get_tradingview_chart_data.
      const charted = await rest(TAKER).fetchOHLCV(SYMBOL, '1m', minute)
      expect(last).toEqual(charted.find((c) => c[0] === minute))
    } finally {
      await ex.close()
    }
  })
})

describe('ccxt deribit: REST on the issue-13 methods', () => {
  it('fetchOpenInterest (get_book_summary_by_instrument) and fetchMyTrades by currency since a time (_by_currency_and_time)', async () => {
    const ex = rest(TAKER)
    await ex.loadMarkets()
    // The taker is long 0.2 from the first test; the maker short 0.2: open interest 0.2 BTC.
    const oi = await ex.fetchOpenInterest(SYMBOL)
    // ccxt files a perpetual's open_interest under openInterestValue (Deribit: coin for linear contracts).
    expect([oi.symbol, oi.openInterestValue, (oi.info as Record<string, unknown>).open_interest]).toEqual([
      SYMBOL,
      0.2,
      0.2,
    ])
    const since = await ex.fetchMyTrades(undefined, 0, undefined, { code: 'USDC' })
    expect(since.map((t) => [t.symbol, t.side, t.price, t.amount])).toEqual([[SYMBOL, 'buy', 60010, 0.2]])
  })
})
