import { describe, expect, it } from 'vitest'
import { MatchingEngine } from '../matching/MatchingEngine.js'
import { EngineHistory } from './EngineHistory.js'

// Tick 0.5 USDT, lot 0.001 BTC. Prints at 12:00:10, 12:00:50 and 12:02:05 (no print in 12:01).
const T0 = 1_767_268_800_000 // 2026-01-01T12:00:00Z
function setup() {
  let now = T0
  let orderId = 1
  let tradeId = 1
  const engine = new MatchingEngine({
    clock: { nowMs: () => now },
    ids: { nextOrderId: () => orderId++, nextTradeId: () => tradeId++ },
    instruments: [
      {
        symbol: 'BTCUSDT',
        kind: 'perp',
        baseAsset: 'BTC',
        quoteAsset: 'USDT',
        tickSize: '0.5',
        stepSize: '0.001',
        minQty: '0.001',
        maxQty: '1000',
        minNotional: '0',
        makerFeePpm: 100,
        takerFeePpm: 500,
        leverage: 20,
      },
    ],
  })
  engine.addAccount('maker', { USDT: 100_000n * 10n ** 8n })
  engine.addAccount('taker', { USDT: 100_000n * 10n ** 8n })
  const history = new EngineHistory(engine)
  return { engine, history, at: (ms: number) => (now = T0 + ms) }
}

describe('EngineHistory', () => {
  it('keeps the tape, each account’s fills and closed orders as they were', () => {
    const { engine, history, at } = setup()
    at(10_000)
    engine.applyExternalTrade('BTCUSDT', 120_000n, 500n, 'BUY') // 60000 × 0.5
    at(50_000)
    const rest = engine.placeOrder({
      accountId: 'maker',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      priceTicks: 120_020n,
      lots: 200n,
      clientOrderId: 'm1',
    })
    expect(rest.ok).toBe(true)
    engine.placeOrder({
      accountId: 'taker',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      priceTicks: 120_020n,
      lots: 100n,
      clientOrderId: 't1',
    })
    at(125_000)
    engine.applyExternalTrade('BTCUSDT', 119_990n, 300n, 'SELL') // 59995 × 0.3
    expect(history.trades('BTCUSDT').map((t) => [t.tsMs - T0, t.priceTicks, t.lots, t.takerSide, t.external])).toEqual([
      [10_000, 120_000n, 500n, 'BUY', true],
      [50_000, 120_020n, 100n, 'BUY', false],
      [125_000, 119_990n, 300n, 'SELL', true],
    ])
    expect(history.tradesSince('BTCUSDT', T0 + 50_000).map((t) => t.tsMs - T0)).toEqual([50_000, 125_000])
    expect(history.tradesSince('BTCUSDT', T0 + 125_001)).toEqual([])
    const [fill] = history.fills('taker')
    expect(fill?.fill).toMatchObject({ lots: 100n, priceTicks: 120_020n, isMaker: false })
    // 0.1 × 60010 × 0.05 % = 3.0005 USDT
    expect(fill?.fill.feeE8).toBe(300_050_000n)
    expect(history.fills('maker').map((f) => [f.fill.isMaker, f.order.executedLots, f.order.status])).toEqual([
      [true, 100n, 'PARTIALLY_FILLED'],
    ])
    // the taker's IOC order is closed (filled); the maker's rests
    expect(history.closedOrders('taker').map((o) => o.status)).toEqual(['FILLED'])
    expect(history.closedOrders('maker')).toEqual([])
    // the recorded order is a copy: the maker's order changing later does not change it
    if (rest.ok) engine.cancelOrder('maker', rest.order.orderId)
    expect(history.fills('maker')[0]?.order.status).toBe('PARTIALLY_FILLED')
    expect(history.closedOrders('maker').map((o) => [o.status, o.executedLots])).toEqual([['CANCELED', 100n]])
  })

  it('candles: OHLCV per interval, a quiet interval repeats the close with zero volume', () => {
    const { engine, history, at } = setup()
    at(10_000)
    engine.applyExternalTrade('BTCUSDT', 120_000n, 500n, 'BUY')
    at(50_000)
    engine.applyExternalTrade('BTCUSDT', 120_020n, 100n, 'BUY')
    at(125_000)
    engine.applyExternalTrade('BTCUSDT', 119_990n, 300n, 'SELL')
    const candles = history.candles('BTCUSDT', 60_000, T0, T0 + 180_000, () => 1n)
    expect(candles.map((c) => [c.openMs - T0, c.open, c.high, c.low, c.close, c.volumeLots, c.measured])).toEqual([
      [0, 120_000n, 120_020n, 120_000n, 120_020n, 600n, 2n],
      [60_000, 120_020n, 120_020n, 120_020n, 120_020n, 0n, 0n],
      [120_000, 119_990n, 119_990n, 119_990n, 119_990n, 300n, 1n],
      [180_000, 119_990n, 119_990n, 119_990n, 119_990n, 0n, 0n],
    ])
    // Σ price × lots of the first minute: 120000 × 500 + 120020 × 100
    expect(candles[0]?.quoteTickLots).toBe(72_002_000n)
    // the window starts at the first interval opening at or after startMs
    expect(history.candles('BTCUSDT', 60_000, T0 + 1, T0 + 130_000).map((c) => c.openMs - T0)).toEqual([
      60_000, 120_000,
    ])
    expect(history.candles('BTCUSDT', 60_000, T0 - 120_000, T0 - 1)).toEqual([])
  })
})
