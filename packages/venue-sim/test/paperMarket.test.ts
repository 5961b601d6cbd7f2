import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ccxt, { type Exchange } from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningBinanceEmulator, startBinanceEmulator } from '../src/binance/index.js'
import { createManualClock, createReplayClock } from '../src/clock/index.js'
import { type RunningDeribitEmulator, startDeribitEmulator } from '../src/deribit/index.js'
import { type RunningGrvtEmulator, startGrvtEmulator } from '../src/grvt/index.js'

// A paper-trading market: three emulators in one process on ONE replay clock (600× over a manual wall clock, so the
// test steps it), all driven by the real 2024-01-05 ETHUSDT 1-minute klines. Expected values come from the CSV, read
// here on its own, and from the documented mapping: a bar with open_time T prints open at T, then (bar closing down)
// high at T+15 s and low at T+30 s, or (closing flat/up) low then high, and close at T+45 s, with the bar's volume
// split over the four prints; each venue rounds prices to its tick (nearest) and sizes to its lot.
const KLINES = fileURLToPath(
  new URL(
    '../../../data/binance-ethusdt-klines-2024-01-05/ETHUSDT-1m-2024-01-05.futures-um.reduced.csv',
    import.meta.url,
  ),
)
/** Bars replayed by the test (4 hours of the day). */
const BARS = 240
const SPEED = 600

type Row = { t: number; o: string; h: string; l: string; c: string; v: string }
const rows: Row[] = readFileSync(KLINES, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [t, o, h, l, c, v] = line.split(',') as [string, string, string, string, string, string]
    return { t: Number(t), o, h, l, c, v }
  })
const T0 = (rows[0] as Row).t

/** Decimal string → integer of 10^-8 units (the CSV has at most 3 decimals). */
function e8(text: string): bigint {
  const [int, frac = ''] = text.split('.') as [string, string?]
  return BigInt(int) * 100_000_000n + BigInt(frac.padEnd(8, '0'))
}
/** `valueE8` rounded half up to a multiple of `stepE8`, as a number. */
function roundTo(valueE8: bigint, stepE8: bigint): number {
  const steps = (2n * valueE8 + stepE8) / (2n * stepE8)
  return Number(steps * stepE8) / 1e8
}
const TICK_DERIBIT = 5_000_000n // 0.05
const LOT_GRVT = 1_000_000n // 0.01
/** The four print prices of a bar, in order. */
function pathOf(r: Row): string[] {
  return e8(r.c) >= e8(r.o) ? [r.o, r.l, r.h, r.c] : [r.o, r.h, r.l, r.c]
}

const wall = createManualClock(0)
const clock = createReplayClock({ startMs: T0, speed: SPEED, wallStartMs: 0, wall })
let binance: RunningBinanceEmulator
let deribit: RunningDeribitEmulator
let grvt: RunningGrvtEmulator
/** Mids (10^-8 USD) of the three venues at each 15 s instant of the replay: [replayMs, binance, deribit, grvt]. */
const mids: Array<[number, bigint, bigint, bigint]> = []

function midE8(engine: RunningBinanceEmulator['engine'], symbol: string, tickE8: bigint): bigint {
  const { bid, ask } = engine.bestBidAsk(symbol)
  if (!bid || !ask) throw new Error(`${symbol}: no two-sided book`)
  return ((bid[0] + ask[0]) * tickE8) / 2n
}
/** `valueE8` rounded half up to a multiple of `stepE8`. */
function roundE8(valueE8: bigint, stepE8: bigint): bigint {
  return ((2n * valueE8 + stepE8) / (2n * stepE8)) * stepE8
}

function binanceClient(): Exchange {
  const ex = new ccxt.binanceusdm({ options: { fetchCurrencies: false } })
  ex.urls.api = {
    ...(ex.urls.api as Record<string, unknown>),
    fapiPublic: `${binance.restUrl}/fapi/v1`,
    fapiPublicV2: `${binance.restUrl}/fapi/v2`,
    fapiPublicV3: `${binance.restUrl}/fapi/v3`,
    fapiPrivate: `${binance.restUrl}/fapi/v1`,
    fapiPrivateV2: `${binance.restUrl}/fapi/v2`,
    public: `${binance.restUrl}/api/v3`,
    private: `${binance.restUrl}/api/v3`,
    dapiPublic: `${binance.restUrl}/dapi/v1`,
    sapi: `${binance.restUrl}/sapi/v1`,
  } as typeof ex.urls.api
  return ex
}
function deribitClient(): Exchange {
  const ex = new ccxt.deribit()
  ex.urls.api = { rest: deribit.restUrl } as typeof ex.urls.api
  return ex
}
function grvtClient(): Exchange {
  const ex = new ccxt.grvt({ enableRateLimit: false })
  ex.setSandboxMode(true)
  ex.urls.api = {
    privateEdge: `${grvt.restUrl}/`,
    privateTrading: `${grvt.restUrl}/`,
    publicMarket: `${grvt.restUrl}/`,
    ws: { publicMarket: grvt.wsUrl, privateTrading: grvt.wsUrl },
  } as unknown as typeof ex.urls.api
  return ex
}

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
    accounts: [{ signerPrivateKeys: [], subAccountId: '1', balances: { USDT: '10000' } }],
    market,
  })
  // 25 wall ms = 15 replay s: every print instant of the 240 bars
  for (let step = 1; step < BARS * 4; step++) {
    wall.advanceBy(25)
    binance.tick()
    deribit.tick()
    grvt.tick()
    mids.push([
      clock.nowMs(),
      midE8(binance.engine, 'ETHUSDT', 1_000_000n),
      midE8(deribit.engine, 'ETH-PERPETUAL', TICK_DERIBIT),
      midE8(grvt.engine, 'ETH_USDT_Perp', 1_000_000n),
    ])
  }
}, 120_000)

afterAll(async () => {
  await Promise.all([binance?.close(), deribit?.close(), grvt?.close()])
})

describe('paper market: three venues on one replay clock, driven by the 2024-01-05 klines', () => {
  it('the replay clock runs 600× its wall clock from the CSV’s first open', () => {
    expect(clock.nowMs()).toBe(T0 + (BARS * 4 - 1) * 15_000)
    expect(clock.toWallMs(T0 + 60_000)).toBe(100)
  })

  it('ccxt fetchOHLCV on Binance answers the CSV’s bars exactly (OHLC and base volume)', async () => {
    const candles = await binanceClient().fetchOHLCV('ETH/USDT:USDT', '1m', T0, BARS)
    const expected = rows
      .slice(0, BARS)
      .map((r) => [r.t, Number(r.o), Number(r.h), Number(r.l), Number(r.c), Number(r.v)])
    expect(candles).toEqual(expected)
  })

  it('ccxt fetchOHLCV on GRVT answers the CSV’s bars (volume_b rounded to the 0.01 ETH lot)', async () => {
    const candles = await grvtClient().fetchOHLCV('ETH/USDT:USDT', '1m', T0, BARS)
    const expected = rows
      .slice(0, BARS)
      .map((r) => [r.t, Number(r.o), Number(r.h), Number(r.l), Number(r.c), roundTo(e8(r.v), LOT_GRVT)])
    expect(candles).toEqual(expected)
  })

  it('ccxt fetchOHLCV on Deribit ETH-PERPETUAL (inverse, 1 USD contracts): prices on the 0.05 tick, coin volume', async () => {
    const candles = await deribitClient().fetchOHLCV('ETH/USD:ETH', '1m', T0, BARS)
    expect(candles.map((c) => c.slice(0, 5))).toEqual(
      rows.slice(0, BARS).map((r) => [r.t, ...[r.o, r.h, r.l, r.c].map((p) => roundTo(e8(p), TICK_DERIBIT))]),
    )
    // Each print's ETH is converted to whole USD contracts at its price; Deribit reports the coin volume Σ USD / price,
    // so each bar's volume is the CSV's within 4 prints × 0.5 USD / low.
    rows.slice(0, BARS).forEach((r, i) => {
      const volume = candles[i]?.[5] as number
      expect(Math.abs(volume - Number(r.v))).toBeLessThanOrEqual(2 / Number(r.l) + 1e-6)
    })
  })

  it('the mids of the three venues agree at every 15 s instant, and sit on the bar’s print prices', () => {
    expect(mids).toHaveLength(BARS * 4 - 1)
    for (const [atMs, b, d, g] of mids) {
      const bar = rows[Math.floor((atMs - T0) / 60_000)] as Row
      const print = pathOf(bar)[((atMs - T0) % 60_000) / 15_000] as string
      expect([atMs, b]).toEqual([atMs, e8(print)])
      expect([atMs, g]).toEqual([atMs, b])
      expect([atMs, d]).toEqual([atMs, roundE8(e8(print), TICK_DERIBIT)])
    }
  })

  it('history answers from the replay: last trades and 24 h tickers on every venue', async () => {
    const last = rows[BARS - 1] as Row
    const high = Math.max(...rows.slice(0, BARS).map((r) => Number(r.h)))
    const low = Math.min(...rows.slice(0, BARS).map((r) => Number(r.l)))
    const lastPrints = pathOf(last).map(Number)
    for (const [name, ex, symbol, price] of [
      ['binance', binanceClient(), 'ETH/USDT:USDT', (p: number) => p],
      ['grvt', grvtClient(), 'ETH/USDT:USDT', (p: number) => p],
      ['deribit', deribitClient(), 'ETH/USD:ETH', (p: number) => roundTo(e8(p.toFixed(2)), TICK_DERIBIT)],
    ] as const) {
      const trades = await ex.fetchTrades(symbol, last.t)
      expect([name, trades.map((t) => [t.timestamp, t.price])]).toEqual([
        name,
        lastPrints.map((p, k) => [last.t + k * 15_000, price(p)]),
      ])
      const ticker = await ex.fetchTicker(symbol)
      expect([name, ticker.last, ticker.high, ticker.low]).toEqual([
        name,
        price(Number(last.c)),
        price(high),
        price(low),
      ])
    }
    // Binance's 24 h base volume is the sum of the replayed bars' volumes.
    const ticker = await binanceClient().fetchTicker('ETH/USDT:USDT')
    const volumeE8 = rows.slice(0, BARS).reduce((sum, r) => sum + e8(r.v), 0n)
    expect(ticker.baseVolume).toBe(Number(volumeE8) / 1e8)
  })

  it('history also holds what the paper account traded: a 1 ETH market buy adds to the last bar’s volume', async () => {
    // The client signs with its own (wall) clock, not the replay time: requests are checked against the replay clock’s wall.
    const last = rows[BARS - 1] as Row
    const query = `symbol=ETHUSDT&side=BUY&type=MARKET&quantity=1.000&timestamp=${wall.nowMs()}`
    const signature = createHmac('sha256', 'paperSecret').update(query).digest('hex')
    const res = await fetch(`${binance.restUrl}/fapi/v1/order?${query}&signature=${signature}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': 'paperKey' },
    })
    expect(res.status).toBe(200)
    const candles = await binanceClient().fetchOHLCV('ETH/USDT:USDT', '1m', last.t, 1)
    expect(candles[0]?.[0]).toBe(last.t)
    expect(candles[0]?.[5]).toBe(Number(e8(last.v) + 100_000_000n) / 1e8)
    const trades = await binanceClient().fetchTrades('ETH/USDT:USDT', last.t)
    expect(trades.reduce((sum, t) => sum + (t.amount as number), 0)).toBeCloseTo(Number(last.v) + 1, 9)
    expect(trades.every((t) => (t.timestamp as number) < last.t + 60_000)).toBe(true)
  })
})
