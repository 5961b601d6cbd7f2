import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { type RunningBinanceEmulator, startBinanceEmulator } from '../src/binance/index.js'

// History, ticker, position-mode and per-account leverage endpoints of the Binance emulator (issue 13), plus the streams
// `<symbol>@ticker`, `<symbol>@kline_<interval>`, a listenKey subscribed as a stream, and spot @trade / @aggTrade.
// Expected values are computed by hand from the trades the test makes (prices, sizes, 2 / 5 bps fees), never read back.

const A = { apiKey: 'histKeyA', apiSecret: 'histSecretA' }
const B = { apiKey: 'histKeyB', apiSecret: 'histSecretB' }
/** 2024-08-08T23:54:16Z: 16 s into a minute, so prints 61 s and 120 s later fall in the next two 1m candles. */
const T0 = 1_723_161_256_000
const MINUTE0 = 1_723_161_240_000

let emu: RunningBinanceEmulator | undefined
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await emu?.close()
  emu = undefined
})

async function start() {
  const clock = { t: T0, nowMs: () => clock.t }
  emu = await startBinanceEmulator({
    clock,
    pingIntervalMs: 0,
    accounts: [
      { ...A, balances: { USDT: '10000' }, spotBalances: { USDT: '10000' } },
      { ...B, balances: { USDT: '10000' } },
    ],
  })
  // External book: bid 2681.00 and ask 2681.05, 1 ETH each (1000 lots of 0.001); the same on the spot book (10000 lots of 0.0001).
  emu.engine.applyExternalDepth('ETHUSDT', [[268100n, 1000n]], [[268105n, 1000n]])
  emu.engine.applyExternalDepth('spot:ETHUSDT', [[268100n, 10000n]], [[268105n, 10000n]])
  emu.tick()
  return { emu, clock }
}

async function call(
  e: RunningBinanceEmulator,
  method: string,
  path: string,
  payload = '',
  who: { apiKey: string; apiSecret: string } | null = A,
) {
  let query = payload
  if (who !== null) {
    const signed = `${payload}${payload ? '&' : ''}timestamp=${e.emulator.clock.nowMs()}`
    query = `${signed}&signature=${createHmac('sha256', who.apiSecret).update(signed).digest('hex')}`
  }
  const res = await fetch(`${e.restUrl}${path}${query ? `?${query}` : ''}`, {
    method,
    headers: who ? { 'X-MBX-APIKEY': who.apiKey } : {},
  })
  return { status: res.status, json: (await res.json()) as unknown }
}

/**
 * A trading day in miniature: an external SELL print 0.5 @ 2681.00 at T0, an external BUY print 0.3 @ 2681.05 at T0+61 s, then at
 * T0+120 s account A buys 0.1 at market (takes 2681.05) and sells 0.1 IOC at 2681.00 (takes the bid), after placing and
 * cancelling a resting bid at 2670.00.
 */
async function tradeDay() {
  const { emu, clock } = await start()
  emu.engine.applyExternalTrade('ETHUSDT', 268100n, 500n, 'SELL')
  clock.t = T0 + 61_000
  emu.engine.applyExternalTrade('ETHUSDT', 268105n, 300n, 'BUY')
  clock.t = T0 + 120_000
  const resting = await call(
    emu,
    'POST',
    '/fapi/v1/order',
    'symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1&price=2670',
  )
  expect(resting.status).toBe(200)
  const restingId = (resting.json as { orderId: number }).orderId
  expect((await call(emu, 'DELETE', '/fapi/v1/order', `symbol=ETHUSDT&orderId=${restingId}`)).status).toBe(200)
  const buy = await call(emu, 'POST', '/fapi/v1/order', 'symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.1')
  expect(buy.status).toBe(200)
  const sell = await call(
    emu,
    'POST',
    '/fapi/v1/order',
    'symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=IOC&quantity=0.1&price=2681.00',
  )
  expect(sell.status).toBe(200)
  return {
    emu,
    clock,
    restingId,
    buyId: (buy.json as { orderId: number }).orderId,
    sellId: (sell.json as { orderId: number }).orderId,
  }
}

describe('USDⓈ-M market history', () => {
  it('GET /fapi/v1/trades and /fapi/v1/aggTrades list every print, oldest first, with the taker side', async () => {
    const { emu } = await tradeDay()
    const trades = (await call(emu, 'GET', '/fapi/v1/trades', 'symbol=ETHUSDT', null)).json as Array<
      Record<string, unknown>
    >
    expect(trades.map((t) => [t.price, t.qty, t.quoteQty, t.time, t.isBuyerMaker])).toEqual([
      ['2681.00', '0.500', '1340.50000', T0, true],
      ['2681.05', '0.300', '804.31500', T0 + 61_000, false],
      ['2681.05', '0.100', '268.10500', T0 + 120_000, false],
      ['2681.00', '0.100', '268.10000', T0 + 120_000, true],
    ])
    const ids = trades.map((t) => t.id as number)
    expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    const lastTwo = (await call(emu, 'GET', '/fapi/v1/trades', 'symbol=ETHUSDT&limit=2', null)).json as unknown[]
    expect(lastTwo).toEqual(trades.slice(2))
    const agg = (await call(emu, 'GET', '/fapi/v1/aggTrades', `symbol=ETHUSDT&fromId=${ids[1]}&limit=2`, null))
      .json as Array<Record<string, unknown>>
    expect(agg).toEqual([
      { a: ids[1], p: '2681.05', q: '0.300', f: ids[1], l: ids[1], T: T0 + 61_000, m: false },
      { a: ids[2], p: '2681.05', q: '0.100', f: ids[2], l: ids[2], T: T0 + 120_000, m: false },
    ])
    const byTime = (await call(emu, 'GET', '/fapi/v1/aggTrades', `symbol=ETHUSDT&startTime=${T0 + 60_000}`, null))
      .json as unknown[]
    expect(byTime).toHaveLength(3)
    expect((await call(emu, 'GET', '/fapi/v1/trades', 'symbol=BTCUSDT', null)).json).toEqual({
      code: -1121,
      msg: 'Invalid symbol.',
    })
  })

  it('GET /fapi/v1/klines builds candles from the prints', async () => {
    const { emu } = await tradeDay()
    const k = (await call(emu, 'GET', '/fapi/v1/klines', 'symbol=ETHUSDT&interval=1m', null)).json
    expect(k).toEqual([
      [
        MINUTE0,
        '2681.00',
        '2681.00',
        '2681.00',
        '2681.00',
        '0.500',
        MINUTE0 + 59_999,
        '1340.50000',
        1,
        '0.000',
        '0.00000',
        '0',
      ],
      [
        MINUTE0 + 60_000,
        '2681.05',
        '2681.05',
        '2681.05',
        '2681.05',
        '0.300',
        MINUTE0 + 119_999,
        '804.31500',
        1,
        '0.300',
        '804.31500',
        '0',
      ],
      [
        MINUTE0 + 120_000,
        '2681.05',
        '2681.05',
        '2681.00',
        '2681.00',
        '0.200',
        MINUTE0 + 179_999,
        '536.20500',
        2,
        '0.100',
        '268.10500',
        '0',
      ],
    ])
    const fiveMin = (await call(emu, 'GET', '/fapi/v1/klines', 'symbol=ETHUSDT&interval=5m', null)).json as unknown[][]
    // 23:50–23:55 holds the first print only; 23:55–24:00 the other three.
    expect(fiveMin.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[8]])).toEqual([
      [1_723_161_000_000, '2681.00', '2681.00', '2681.00', '2681.00', '0.500', 1],
      [1_723_161_300_000, '2681.05', '2681.05', '2681.00', '2681.00', '0.500', 3],
    ])
    const since = (
      await call(
        emu,
        'GET',
        '/fapi/v1/klines',
        `symbol=ETHUSDT&interval=1m&startTime=${MINUTE0 + 60_000}&limit=1`,
        null,
      )
    ).json as unknown[][]
    expect(since.map((r) => r[0])).toEqual([MINUTE0 + 60_000])
    expect((await call(emu, 'GET', '/fapi/v1/klines', 'symbol=ETHUSDT&interval=7m', null)).json).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'interval' is not valid.",
    })
  })

  it('GET /fapi/v1/ticker/24hr and /fapi/v1/ticker/price summarise the last 24 h of prints', async () => {
    const { emu } = await tradeDay()
    const t = (await call(emu, 'GET', '/fapi/v1/ticker/24hr', 'symbol=ETHUSDT', null)).json
    expect(t).toEqual({
      symbol: 'ETHUSDT',
      priceChange: '0.00',
      priceChangePercent: '0.000',
      // 2681.02 = (1340.5 + 804.315 + 268.105 + 268.1) / 1.0 ETH
      weightedAvgPrice: '2681.02',
      lastPrice: '2681.00',
      lastQty: '0.100',
      openPrice: '2681.00',
      highPrice: '2681.05',
      lowPrice: '2681.00',
      volume: '1.000',
      quoteVolume: '2681.02000',
      openTime: T0 + 120_000 - 86_400_000,
      closeTime: T0 + 120_000,
      firstId: expect.any(Number),
      lastId: expect.any(Number),
      count: 4,
    })
    const all = (await call(emu, 'GET', '/fapi/v1/ticker/24hr', '', null)).json as unknown[]
    expect(all).toEqual([t])
    expect((await call(emu, 'GET', '/fapi/v1/ticker/price', 'symbol=ETHUSDT', null)).json).toEqual({
      symbol: 'ETHUSDT',
      price: '2681.00',
      time: T0 + 120_000,
    })
  })

  it('a day later the 24 h ticker no longer counts the old prints; the change is measured from the window open', async () => {
    const { emu, clock } = await tradeDay()
    clock.t = T0 + 86_400_000 + 30_000
    emu.engine.applyExternalTrade('ETHUSDT', 268200n, 100n, 'BUY')
    const t = (await call(emu, 'GET', '/fapi/v1/ticker/24hr', 'symbol=ETHUSDT', null)).json as Record<string, unknown>
    // Window [T0+30 s, now]: 2681.05 (T0+61 s), 2681.05, 2681.00 (T0+120 s), 2682.00 → open 2681.05, change +0.95 (0.035 %).
    expect([t.openPrice, t.lastPrice, t.priceChange, t.priceChangePercent, t.count, t.volume]).toEqual([
      '2681.05',
      '2682.00',
      '0.95',
      '0.035',
      4,
      '0.600',
    ])
  })
})

describe('history of a replayed capture', () => {
  const CAPTURE = fileURLToPath(
    new URL('../../../data/binance-ethusdt-l2-2024-08-08/usdm_ethusdt_20240808.gz', import.meta.url),
  )

  it('trades, a 1h kline and the 24 h ticker match the @trade lines of the capture replayed over two minutes', async () => {
    // Expected values straight from the capture file: the replay starts at the REST snapshot line (emulator time = start +
    // receive-time offset), so the @trade lines after it received within 120 s are the prints.
    const lines = gunzipSync(readFileSync(CAPTURE))
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
    const snapshotIndex = lines.findIndex((l) => l.includes('"lastUpdateId"'))
    const tsOf = (l: string) => BigInt(l.slice(0, l.indexOf(' ')))
    const snapshotTs = tsOf(lines[snapshotIndex] as string)
    const expected = lines
      .slice(snapshotIndex + 1)
      .filter((l) => l.includes('"stream":"ethusdt@trade"') && (tsOf(l) - snapshotTs) / 1_000_000n <= 120_000n)
      .map((l) => (JSON.parse(l.slice(l.indexOf(' ') + 1)) as { data: { p: string; q: string; m: boolean } }).data)
    expect(expected.length).toBeGreaterThan(10)
    const hour = 1_723_161_600_000
    const clock = { t: hour, nowMs: () => clock.t }
    emu = await startBinanceEmulator({
      clock,
      pingIntervalMs: 0,
      accounts: [{ ...A, balances: { USDT: '10000' } }],
      market: { kind: 'replay', file: CAPTURE, speed: 1 },
    })
    clock.t = hour + 120_000
    emu.tick()
    const trades = (await call(emu, 'GET', '/fapi/v1/trades', 'symbol=ETHUSDT&limit=1000', null)).json as Array<
      Record<string, unknown>
    >
    expect(trades.map((t) => [t.price, t.qty, t.isBuyerMaker])).toEqual(
      expected.slice(-1000).map((d) => [d.p, d.q, d.m]),
    )
    // Sums in integer units: prices have 2 decimals, sizes 3.
    const cents = expected.map((d) => Math.round(Number(d.p) * 100))
    const lots = (rows: typeof expected) => rows.reduce((sum, d) => sum + Math.round(Number(d.q) * 1000), 0)
    const fmt = (units: number, decimals: number) => (units / 10 ** decimals).toFixed(decimals)
    const k = ((await call(emu, 'GET', '/fapi/v1/klines', 'symbol=ETHUSDT&interval=1h', null)).json as unknown[][])[0]
    expect(k?.slice(0, 6)).toEqual([
      hour,
      fmt(cents[0] as number, 2),
      fmt(Math.max(...cents), 2),
      fmt(Math.min(...cents), 2),
      fmt(cents[cents.length - 1] as number, 2),
      fmt(lots(expected), 3),
    ])
    expect(k?.[8]).toBe(expected.length)
    expect(k?.[9]).toBe(fmt(lots(expected.filter((d) => !d.m)), 3))
    const t = (await call(emu, 'GET', '/fapi/v1/ticker/24hr', 'symbol=ETHUSDT', null)).json as Record<string, unknown>
    expect([t.count, t.volume, t.highPrice, t.lowPrice, t.lastPrice]).toEqual([
      expected.length,
      fmt(lots(expected), 3),
      fmt(Math.max(...cents), 2),
      fmt(Math.min(...cents), 2),
      fmt(cents[cents.length - 1] as number, 2),
    ])
  })
})

describe('USDⓈ-M account history', () => {
  it('GET /fapi/v1/userTrades has each fill with its commission (5 bps taker) and realized PnL', async () => {
    const { emu, buyId, sellId } = await tradeDay()
    const rows = (await call(emu, 'GET', '/fapi/v1/userTrades', 'symbol=ETHUSDT')).json as Array<
      Record<string, unknown>
    >
    expect(rows).toEqual([
      {
        buyer: true,
        commission: '0.13405250',
        commissionAsset: 'USDT',
        id: expect.any(Number),
        maker: false,
        orderId: buyId,
        price: '2681.05',
        qty: '0.100',
        quoteQty: '268.10500',
        realizedPnl: '0.00000000',
        side: 'BUY',
        positionSide: 'BOTH',
        symbol: 'ETHUSDT',
        time: T0 + 120_000,
      },
      {
        buyer: false,
        commission: '0.13405000',
        commissionAsset: 'USDT',
        id: expect.any(Number),
        maker: false,
        orderId: sellId,
        price: '2681.00',
        qty: '0.100',
        quoteQty: '268.10000',
        realizedPnl: '-0.00500000',
        side: 'SELL',
        positionSide: 'BOTH',
        symbol: 'ETHUSDT',
        time: T0 + 120_000,
      },
    ])
    const one = (await call(emu, 'GET', '/fapi/v1/userTrades', `symbol=ETHUSDT&orderId=${sellId}`)).json as unknown[]
    expect(one).toEqual([rows[1]])
    // B traded nothing.
    expect((await call(emu, 'GET', '/fapi/v1/userTrades', 'symbol=ETHUSDT', B)).json).toEqual([])
  })

  it('GET /fapi/v1/allOrders has cancelled and filled orders in their final state', async () => {
    const { emu, restingId, buyId, sellId } = await tradeDay()
    const rows = (await call(emu, 'GET', '/fapi/v1/allOrders', 'symbol=ETHUSDT')).json as Array<Record<string, unknown>>
    expect(rows.map((o) => [o.orderId, o.status, o.side, o.type, o.executedQty, o.avgPrice])).toEqual([
      [restingId, 'CANCELED', 'BUY', 'LIMIT', '0.000', '0.0000000'],
      [buyId, 'FILLED', 'BUY', 'MARKET', '0.100', '2681.0500000'],
      [sellId, 'FILLED', 'SELL', 'LIMIT', '0.100', '2681.0000000'],
    ])
    expect(rows.every((o) => o.time === T0 + 120_000)).toBe(true)
    expect((await call(emu, 'GET', '/fapi/v1/allOrders', 'symbol=ETHUSDT', B)).json).toEqual([])
    expect((await call(emu, 'GET', '/fapi/v1/allOrders', '')).json).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
    })
  })

  it('GET /fapi/v1/income lists deposits, commissions and realized PnL; they add up to the wallet change', async () => {
    const { emu } = await tradeDay()
    emu.emulator.deposit(A.apiKey, 'USDT', '100')
    const rows = (await call(emu, 'GET', '/fapi/v1/income', '')).json as Array<Record<string, unknown>>
    expect(rows.map((r) => [r.incomeType, r.income, r.asset, r.symbol])).toEqual([
      ['COMMISSION', '-0.13405250', 'USDT', 'ETHUSDT'],
      ['REALIZED_PNL', '-0.00500000', 'USDT', 'ETHUSDT'],
      ['COMMISSION', '-0.13405000', 'USDT', 'ETHUSDT'],
      ['TRANSFER', '100.00000000', 'USDT', ''],
    ])
    const pnl = (await call(emu, 'GET', '/fapi/v1/income', 'incomeType=REALIZED_PNL')).json as unknown[]
    expect(pnl).toHaveLength(1)
    // 10000 + 100 − 0.1340525 − 0.005 − 0.13405 = 10099.7268975 (flat, so wallet = balance).
    const balance = (await call(emu, 'GET', '/fapi/v2/balance', '')).json as Array<Record<string, unknown>>
    expect(balance.find((b) => b.asset === 'USDT')?.balance).toBe('10099.72689750')
  })
})

describe('USDⓈ-M account settings', () => {
  it("one account's POST /fapi/v1/leverage does not change another account's leverage or margin", async () => {
    const { emu } = await start()
    const set = await call(emu, 'POST', '/fapi/v1/leverage', 'symbol=ETHUSDT&leverage=5')
    expect(set.json).toEqual({ leverage: 5, maxNotionalValue: '250000', symbol: 'ETHUSDT' })
    const lev = async (who: typeof A) =>
      (
        (await call(emu, 'GET', '/fapi/v2/positionRisk', 'symbol=ETHUSDT', who)).json as Array<Record<string, unknown>>
      )[0]?.leverage
    expect(await lev(A)).toBe('5')
    expect(await lev(B)).toBe('20')
    // The same resting bid (0.1 @ 2670 = 267 USDT) locks 267/5 = 53.4 USDT for A and 267/20 = 13.35 USDT for B.
    for (const who of [A, B]) {
      const r = await call(
        emu,
        'POST',
        '/fapi/v1/order',
        'symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1&price=2670',
        who,
      )
      expect(r.status).toBe(200)
    }
    const orderIm = async (who: typeof A) =>
      ((await call(emu, 'GET', '/fapi/v2/account', '', who)).json as Record<string, unknown>)
        .totalOpenOrderInitialMargin
    expect(await orderIm(A)).toBe('53.40000000')
    expect(await orderIm(B)).toBe('13.35000000')
  })

  it('GET/POST /fapi/v1/positionSide/dual: one-way mode; POST /fapi/v1/marginType: cross only', async () => {
    const { emu } = await start()
    expect((await call(emu, 'GET', '/fapi/v1/positionSide/dual', '')).json).toEqual({ dualSidePosition: false })
    expect((await call(emu, 'POST', '/fapi/v1/positionSide/dual', 'dualSidePosition=false')).json).toEqual({
      code: -4059,
      msg: 'No need to change position side.',
    })
    expect((await call(emu, 'POST', '/fapi/v1/positionSide/dual', 'dualSidePosition=true')).json).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'dualSidePosition' is not valid.",
    })
    expect((await call(emu, 'POST', '/fapi/v1/marginType', 'symbol=ETHUSDT&marginType=CROSSED')).json).toEqual({
      code: -4046,
      msg: 'No need to change margin type.',
    })
    expect((await call(emu, 'POST', '/fapi/v1/marginType', 'symbol=ETHUSDT&marginType=ISOLATED')).json).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'marginType' is not valid.",
    })
  })
})

describe('spot history', () => {
  it('GET /api/v3/myTrades, trades, aggTrades, klines and ticker/24hr after a spot market buy', async () => {
    const { emu } = await start()
    const buy = await call(emu, 'POST', '/api/v3/order', 'symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.1')
    expect(buy.status).toBe(200)
    const mine = (await call(emu, 'GET', '/api/v3/myTrades', 'symbol=ETHUSDT')).json as Array<Record<string, unknown>>
    // Spot buys pay the 10 bps fee in the base asset: 0.1 ETH × 0.001 = 0.0001 ETH.
    expect(mine).toEqual([
      {
        symbol: 'ETHUSDT',
        id: expect.any(Number),
        orderId: (buy.json as { orderId: number }).orderId,
        orderListId: -1,
        price: '2681.05000000',
        qty: '0.10000000',
        quoteQty: '268.10500000',
        commission: '0.00010000',
        commissionAsset: 'ETH',
        time: T0,
        isBuyer: true,
        isMaker: false,
        isBestMatch: true,
      },
    ])
    expect((await call(emu, 'GET', '/api/v3/trades', 'symbol=ETHUSDT', null)).json).toEqual([
      {
        id: mine[0]?.id,
        price: '2681.05000000',
        qty: '0.10000000',
        quoteQty: '268.10500000',
        time: T0,
        isBuyerMaker: false,
        isBestMatch: true,
      },
    ])
    expect((await call(emu, 'GET', '/api/v3/aggTrades', 'symbol=ETHUSDT', null)).json).toEqual([
      { a: mine[0]?.id, p: '2681.05000000', q: '0.10000000', f: mine[0]?.id, l: mine[0]?.id, T: T0, m: false, M: true },
    ])
    expect((await call(emu, 'GET', '/api/v3/klines', 'symbol=ETHUSDT&interval=1h', null)).json).toEqual([
      [
        1_723_158_000_000,
        '2681.05000000',
        '2681.05000000',
        '2681.05000000',
        '2681.05000000',
        '0.10000000',
        1_723_161_599_999,
        '268.10500000',
        1,
        '0.10000000',
        '268.10500000',
        '0',
      ],
    ])
    const t = (await call(emu, 'GET', '/api/v3/ticker/24hr', 'symbol=ETHUSDT', null)).json as Record<string, unknown>
    expect([t.lastPrice, t.volume, t.count, t.bidPrice, t.askPrice, t.prevClosePrice]).toEqual([
      '2681.05000000',
      '0.10000000',
      1,
      '2681.00000000',
      '2681.05000000',
      '2681.05000000',
    ])
    // The futures tape is a different book: nothing traded there.
    expect((await call(emu, 'GET', '/fapi/v1/trades', 'symbol=ETHUSDT', null)).json).toEqual([])
  })
})

/** A WebSocket client that records parsed frames; `until` awaits a condition with a deadline (no sleeps). */
async function connect(url: string) {
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
  const until = async (predicate: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 5000
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
  }
  return { ws, frames, until }
}

describe('streams', () => {
  it('<symbol>@ticker and <symbol>@kline_1m follow the prints; a new minute closes the previous candle (x: true)', async () => {
    const { emu, clock } = await start()
    const c = await connect(`${emu.wsUrl}/market/ws`)
    c.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@ticker', 'ethusdt@kline_1m'], id: 1 }))
    await c.until(() => c.frames.some((f) => f.id === 1), 'subscribe ack')
    emu.engine.applyExternalTrade('ETHUSDT', 268100n, 500n, 'SELL')
    clock.t = T0 + 61_000
    emu.engine.applyExternalTrade('ETHUSDT', 268105n, 300n, 'BUY')
    const klines = () => c.frames.filter((f) => f.e === 'kline').map((f) => f.k as Record<string, unknown>)
    const tickers = () => c.frames.filter((f) => f.e === '24hrTicker')
    await c.until(() => klines().length === 3 && tickers().length === 2, 'three kline and two ticker events')
    expect(klines().map((k) => [k.t, k.i, k.o, k.h, k.l, k.c, k.v, k.n, k.x])).toEqual([
      [MINUTE0, '1m', '2681.00', '2681.00', '2681.00', '2681.00', '0.500', 1, false],
      [MINUTE0, '1m', '2681.00', '2681.00', '2681.00', '2681.00', '0.500', 1, true],
      [MINUTE0 + 60_000, '1m', '2681.05', '2681.05', '2681.05', '2681.05', '0.300', 1, false],
    ])
    const last = tickers()[1] as Record<string, unknown>
    expect([last.s, last.o, last.c, last.h, last.l, last.v, last.n, last.p, last.P, last.E]).toEqual([
      'ETHUSDT',
      '2681.00',
      '2681.05',
      '2681.05',
      '2681.00',
      '0.800',
      2,
      '0.05',
      '0.001',
      T0 + 61_000,
    ])
  })

  it('SUBSCRIBE of a listenKey as a stream delivers the account’s user data on that connection', async () => {
    const { emu } = await start()
    const lk = (await call(emu, 'POST', '/fapi/v1/listenKey', '', null)) as { json: unknown }
    expect(lk.json).toEqual({ code: -2014, msg: 'API-key format invalid.' })
    const res = await fetch(`${emu.restUrl}/fapi/v1/listenKey`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': A.apiKey },
    })
    const listenKey = ((await res.json()) as { listenKey: string }).listenKey
    const c = await connect(`${emu.wsUrl}/ws`)
    c.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: [listenKey, 'ethusdt@aggTrade'], id: 7 }))
    await c.until(() => c.frames.some((f) => f.id === 7), 'subscribe ack')
    const buy = await call(emu, 'POST', '/fapi/v1/order', 'symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.1')
    expect(buy.status).toBe(200)
    await c.until(
      () => c.frames.some((f) => f.e === 'ORDER_TRADE_UPDATE' && (f.o as { X: string }).X === 'FILLED'),
      'the fill as ORDER_TRADE_UPDATE',
    )
    const fill = c.frames.find((f) => f.e === 'ORDER_TRADE_UPDATE' && (f.o as { X: string }).X === 'FILLED')
    expect(fill?.o).toMatchObject({ s: 'ETHUSDT', S: 'BUY', L: '2681.05', l: '0.100', n: '0.13405250', N: 'USDT' })
    // The market stream on the same connection keeps flowing.
    expect(c.frames.some((f) => f.e === 'aggTrade' && f.p === '2681.05')).toBe(true)
    // B's orders never reach A's connection.
    await call(emu, 'POST', '/fapi/v1/order', 'symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.1', B)
    await c.until(() => c.frames.filter((f) => f.e === 'aggTrade').length === 2, "B's print")
    expect(c.frames.filter((f) => f.e === 'ORDER_TRADE_UPDATE').every((f) => (f.o as { S: string }).S === 'BUY')).toBe(
      true,
    )
  })

  it('spot <symbol>@trade and @aggTrade are published for spot prints', async () => {
    const { emu } = await start()
    const c = await connect(`${emu.wsUrl}/spot/stream?streams=ethusdt@trade/ethusdt@aggTrade`)
    const buy = await call(emu, 'POST', '/api/v3/order', 'symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.1')
    expect(buy.status).toBe(200)
    await c.until(() => c.frames.length === 2, 'trade and aggTrade')
    const byStream = Object.fromEntries(c.frames.map((f) => [f.stream as string, f.data as Record<string, unknown>]))
    expect(byStream['ethusdt@trade']).toMatchObject({
      e: 'trade',
      s: 'ETHUSDT',
      p: '2681.05000000',
      q: '0.10000000',
      T: T0,
      m: false,
      M: true,
    })
    expect(byStream['ethusdt@aggTrade']).toMatchObject({ e: 'aggTrade', s: 'ETHUSDT', p: '2681.05000000', m: false })
  })
})

describe('WebSocket API market-data methods', () => {
  it('USDⓈ-M depth, ticker.price and ticker.book; spot ticker.24hr, trades.recent and klines (no key needed)', async () => {
    const { emu } = await tradeDay()
    const ask = async (path: string, method: string, params: Record<string, unknown>) => {
      const c = await connect(`${emu.wsUrl}${path}`)
      c.ws.send(JSON.stringify({ id: 'q1', method, params }))
      await c.until(() => c.frames.some((f) => f.id === 'q1'), method)
      return c.frames.find((f) => f.id === 'q1') as Record<string, unknown>
    }
    // A took 0.1 from each side of the external book (external prints do not change its size): 0.900 left at each touch.
    const depth = await ask('/ws-fapi/v1', 'depth', { symbol: 'ETHUSDT', limit: 5 })
    expect(depth.status).toBe(200)
    expect(depth.result).toMatchObject({ bids: [['2681.00', '0.900']], asks: [['2681.05', '0.900']] })
    const price = await ask('/ws-fapi/v1', 'ticker.price', { symbol: 'ETHUSDT' })
    expect(price.result).toEqual({ symbol: 'ETHUSDT', price: '2681.00', time: T0 + 120_000 })
    const book = await ask('/ws-fapi/v1', 'ticker.book', { symbol: 'ETHUSDT' })
    expect(book.result).toMatchObject({ bidPrice: '2681.00', bidQty: '0.900', askPrice: '2681.05', askQty: '0.900' })
    expect((await ask('/ws-fapi/v1', 'ticker.24hr', { symbol: 'ETHUSDT' })).error).toEqual({
      code: -1100,
      msg: 'Unknown method: ticker.24hr',
    })
    // Spot: buy 0.1 at market, then read it back over the spot WebSocket API.
    expect((await call(emu, 'POST', '/api/v3/order', 'symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.1')).status).toBe(
      200,
    )
    const spotTicker = await ask('/ws-api/v3', 'ticker.24hr', { symbol: 'ETHUSDT' })
    expect(spotTicker.result).toMatchObject({
      symbol: 'ETHUSDT',
      lastPrice: '2681.05000000',
      volume: '0.10000000',
      count: 1,
    })
    const recent = (await ask('/ws-api/v3', 'trades.recent', { symbol: 'ETHUSDT' })).result as Array<
      Record<string, unknown>
    >
    expect(recent.map((t) => [t.price, t.qty, t.isBuyerMaker])).toEqual([['2681.05000000', '0.10000000', false]])
    const k = (await ask('/ws-api/v3', 'klines', { symbol: 'ETHUSDT', interval: '1m' })).result as unknown[][]
    expect(k.map((r) => [r[0], r[1], r[5], r[8]])).toEqual([[MINUTE0 + 120_000, '2681.05000000', '0.10000000', 1]])
  })
})
