import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { type L2CaptureEvent, readBinanceL2Capture } from '../src/data/readBinanceL2Capture.js'
import { InvalidConfigError } from '../src/errors/config.js'
import { EventsOutOfOrderError, InvalidFieldError } from '../src/errors/input.js'
import { makerTakerFee } from '../src/fills/makerTakerFee.js'
import { powerProbQueue } from '../src/fills/powerProbQueue.js'
import type { QueueModel } from '../src/fills/queueTypes.js'
import { riskAverseQueue } from '../src/fills/riskAverseQueue.js'
import { constantLatency } from '../src/latency/constantLatency.js'
import {
  type L2HedgeBacktestResults,
  type RunL2HedgeBacktestParameters,
  runL2HedgeBacktest,
} from '../src/strategy/runL2HedgeBacktest.js'

const CAPTURE = fileURLToPath(
  new URL('../../../data/binance-ethusdt-l2-2024-08-08/spot_ethusdt_20240808.gz', import.meta.url),
)
// Binance spot ETHUSDT filters: PRICE_FILTER tickSize 0.01, LOT_SIZE stepSize 0.0001.
const grid = { tickSize: '0.01', stepSize: '0.0001' }
const MS = 1_000_000n
const SEC = 1_000_000_000n

/** Decimal string → bigint at 18 decimals (the test's own exact arithmetic, independent of the code under test). */
function units18(value: string): bigint {
  const negative = value.startsWith('-')
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.')
  expect(fraction.length).toBeLessThanOrEqual(18)
  const u = BigInt(whole + fraction.padEnd(18, '0'))
  return negative ? -u : u
}

async function* from(events: L2CaptureEvent[]): AsyncGenerator<L2CaptureEvent> {
  for (const e of events) yield e
}

/**
 * The hedger on the real capture: LP long 0.5 ETH above its target, order size 0.1 ETH, GLFT with fixed intensity,
 * η = 3 (the side that grows |q| shrinks as e^(−3|q|)), a USDⓈ-M-like 20 USDT minimum notional, a maker rebate of
 * −0.5 bps (fee floor 0: quotes at or near the touch, where the queue matters), 5 ms entry and response latency.
 */
function realRun(queue: QueueModel): Promise<L2HedgeBacktestResults> {
  return runL2HedgeBacktest({
    capture: { file: 'spot_ethusdt_20240808.gz', events: readBinanceL2Capture({ path: CAPTURE, ...grid }) },
    hedger: {
      venues: [{ venue: 'binance', ...grid, makerFeeBps: -0.5, minNotionalQuote: 20 }],
      calibration: {
        volatility: { halfLifeMs: 10_000, warmUpMs: 5_000, minIncrements: 5 },
        intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 20 },
      },
      model: { eta: 3 },
      hedge: { orderSizeBase: 0.1 },
    },
    venue: 'binance',
    queue,
    latency: constantLatency({ entryNs: 5n * MS, responseNs: 5n * MS }),
    fee: makerTakerFee({ ...grid, makerFeeBps: '-0.5', takerFeeBps: '4.5' }),
    lpInventory: { baseHeldBase: '1.5', baseTargetBase: '1.0' },
    timerIntervalNs: SEC,
    nowMs: () => performance.now(),
  })
}

describe('runL2HedgeBacktest on the real capture (Binance spot ETHUSDT, 2024-08-08 23:54–00:00 UTC)', () => {
  let averse: L2HedgeBacktestResults
  let prob: L2HedgeBacktestResults
  beforeAll(async () => {
    averse = await realRun(riskAverseQueue())
    prob = await realRun(powerProbQueue({ exponent: 2 }))
    for (const r of [averse, prob]) {
      const volumeLots = r.fills.reduce((sum, f) => sum + f.sizeLots, 0)
      console.info(
        `${r.models.queue}: ${r.fills.length} fills, ${volumeLots} lots traded, position ${r.positionBase}, ` +
          `hedge PnL ${r.hedgePnlQuote}, first fill after ${Number(r.timeToFirstFillNs) / 1e6} ms, ` +
          `orders ${JSON.stringify(r.orders)}, ${Math.round(r.performance.eventsPerSec)} events/s`,
      )
    }
  })

  it('reads every event of the capture once (PROVENANCE.md: 24077 bookTicker + 3434 depth + 6106 trade + 1 snapshot)', () => {
    for (const r of [averse, prob]) {
      expect(r.counts.captureEvents).toBe(24_077 + 3_434 + 6_106 + 1)
      expect(r.counts.trades).toBe(6_106)
      // Depth diffs already inside the REST snapshot (u ≤ lastUpdateId) are skipped.
      expect(r.counts.depthUpdates).toBeLessThan(3_434)
      expect(r.counts.depthUpdates).toBeGreaterThan(3_400)
    }
  })

  it('conserves position and cash: Σ signed fills, fills at the order price and within its size, cash recomputed', () => {
    for (const r of [averse, prob]) {
      expect(r.fills.length).toBeGreaterThan(10)
      const signed = r.fills.reduce((sum, f) => sum + (f.side === 'buy' ? f.sizeLots : -f.sizeLots), 0)
      expect(r.positionLots).toBe(signed)
      // Cash = −Σ signed price × size − Σ fees, from each fill's decimal strings (exact).
      let cash = 0n
      let fees = 0n
      for (const f of r.fills) {
        const notional = (units18(f.price) * units18(f.sizeBase)) / 10n ** 18n
        cash += f.side === 'buy' ? -notional : notional
        cash -= units18(f.feeQuote)
        fees += units18(f.feeQuote)
        // Maker rebate of 0.5 bps: fee = −price × size × 0.00005, exactly.
        expect(units18(f.feeQuote) * 100_000n).toBe(-notional * 5n)
      }
      expect(units18(r.cashQuote)).toBe(cash)
      expect(units18(r.feesQuote)).toBe(fees)
      // PnL marked to the final mid.
      expect(units18(r.hedgePnlQuote)).toBe(cash + (units18(r.finalMidPrice) * units18(r.positionBase)) / 10n ** 18n)
      // Every fill is at the price the venue holds the order at, never more than its size, never before it joined.
      const live = new Map<string, { priceTicks: number; sizeLots: number; joinedNs: bigint; filledLots: number }>()
      const sentNs = new Map<string, bigint>()
      const log = [...r.orderLog]
      let next = 0
      for (const f of r.fills) {
        for (; next < log.length && log[next]!.tsNs <= f.tsNs; next++) {
          const e = log[next]!
          if (e.action === 'sent') sentNs.set(e.clientOrderId, e.tsNs)
          if (e.action === 'joined') {
            // Entry latency: the venue has the order exactly 5 ms after the hedger sent it.
            expect(e.tsNs - sentNs.get(e.clientOrderId)!).toBe(5n * MS)
            live.set(e.clientOrderId, { ...e, joinedNs: e.tsNs, filledLots: 0 })
          }
          if (e.action === 'amended') {
            const o = live.get(e.clientOrderId)!
            o.priceTicks = e.priceTicks
            o.sizeLots = e.sizeLots
          }
        }
        const order = live.get(f.clientOrderId)
        expect(order).toBeDefined()
        expect(f.priceTicks).toBe(order!.priceTicks)
        expect(f.price).toBe((order!.priceTicks / 100).toFixed(2))
        expect(f.tsNs).toBeGreaterThanOrEqual(order!.joinedNs)
        order!.filledLots += f.sizeLots
        expect(f.sizeLots).toBeGreaterThan(0)
        expect(order!.filledLots).toBeLessThanOrEqual(order!.sizeLots)
      }
    }
  })

  it('hedges: LP long 0.5 ETH → net sells, never short more than the exposure plus one order size', () => {
    for (const r of [averse, prob]) {
      let position = 0
      let min = 0
      let max = 0
      for (const f of r.fills) {
        position += f.side === 'buy' ? f.sizeLots : -f.sizeLots
        min = Math.min(min, position)
        max = Math.max(max, position)
      }
      // The first fills are sells (the reducing side), and the position never turns long.
      expect(r.fills[0]!.side).toBe('sell')
      expect(max).toBeLessThanOrEqual(0)
      expect(r.positionLots).toBeLessThan(0)
      // Overshoot bound: at net 0 one 0.1 ETH (1000-lot) ask may fill; after x lots more the ask is
      // 1000·e^(−3x/1000) lots, and x + 1000·e^(−3x/1000) ≤ 1000 for x ≥ 0, so |position| ≤ 5000 + 1000 lots.
      expect(min).toBeGreaterThanOrEqual(-(5_000 + 1_000))
      // It did reach the full hedge at some point.
      expect(min).toBeLessThanOrEqual(-5_000)
    }
  })

  it('probabilistic queue vs risk-averse on the same config: fills at least as much, first fill never later', () => {
    const lots = (r: L2HedgeBacktestResults) => r.fills.reduce((sum, f) => sum + f.sizeLots, 0)
    expect(lots(prob)).toBeGreaterThanOrEqual(lots(averse))
    expect(prob.firstFillNs).not.toBeNull()
    expect(averse.firstFillNs).not.toBeNull()
    expect(prob.firstFillNs! <= averse.firstFillNs!).toBe(true)
    // Up to the first fill the two runs saw the same events, so they placed the same first order.
    expect(prob.firstOrderNs).toBe(averse.firstOrderNs)
    // Some fills came from the queue model (at our price), not only from trades through it.
    expect(averse.fills.some((f) => f.reason === 'queue')).toBe(true)
  })
})

describe('runL2HedgeBacktest on a hand-built capture (fill times and sizes worked out by hand)', () => {
  // Mid 1000.00 (bid 999.99, ask 1000.01); tick 0.01, step 0.0001 (lots). The LP is 0.5 ETH long → q = 5 order sizes.
  // Maker fee 10 bps: the hedger's fee floor puts its quotes ≥ 10 bps × 1000 = 1.00 (100 ticks) from the mid; the GLFT
  // depth (σ = 0: mid never moves; γ = 0.1, k = 2 → ln(1.05)/0.1 ≈ 0.49 < 1.00) is below the floor, so the ask is at
  // exactly 1000.00 + 1.00 = 1001.00 (100100 ticks), size min(|net| 5000 lots, ½ × touch 100000 lots) = 5000 lots.
  // The bid (e^(−3·5) × 1000 lots = 0) is not quoted. Volatility is ready after one increment (the depth at 1.1 s),
  // so the order is sent at 1.1 s and joins at 1.105 s behind the 3000 lots at 1001.00.
  const events: L2CaptureEvent[] = [
    {
      kind: 'snapshot',
      tsLocalNs: 1n * SEC,
      lastUpdateId: 10,
      bids: [[99_999, 20_000]],
      asks: [
        [100_001, 100_000],
        [100_100, 3_000],
      ],
      row: 1,
    },
    {
      kind: 'depth',
      tsLocalNs: 1_100n * MS,
      tsExchangeNs: 0n,
      lastUpdateId: 11,
      bids: [[99_990, 500]],
      asks: [],
      row: 2,
    },
    // Before we join: does not move us.
    {
      kind: 'trade',
      tsLocalNs: 1_102n * MS,
      tsExchangeNs: 0n,
      priceTicks: 100_100,
      sizeLots: 1_000,
      buyerIsMaker: false,
      row: 3,
    },
    // 2000 lots join behind us: level 3000 → 5000 (risk-averse: no change; probabilistic: back = 2000).
    {
      kind: 'depth',
      tsLocalNs: 1_150n * MS,
      tsExchangeNs: 0n,
      lastUpdateId: 12,
      bids: [],
      asks: [[100_100, 5_000]],
      row: 4,
    },
    // A buy of 2500 at our price: ahead 3000 → 500 (both models).
    {
      kind: 'trade',
      tsLocalNs: 1_200n * MS,
      tsExchangeNs: 0n,
      priceTicks: 100_100,
      sizeLots: 2_500,
      buyerIsMaker: false,
      row: 5,
    },
    // A sell on the bid side: not our side.
    {
      kind: 'trade',
      tsLocalNs: 1_250n * MS,
      tsExchangeNs: 0n,
      priceTicks: 99_999,
      sizeLots: 7_000,
      buyerIsMaker: true,
      row: 6,
    },
    // Level 5000 → 300: the 2500 traded explain 2500 of it, 2200 are cancels.
    {
      kind: 'depth',
      tsLocalNs: 1_300n * MS,
      tsExchangeNs: 0n,
      lastUpdateId: 13,
      bids: [],
      asks: [[100_100, 300]],
      row: 7,
    },
    // A buy of 1300 at our price.
    {
      kind: 'trade',
      tsLocalNs: 1_400n * MS,
      tsExchangeNs: 0n,
      priceTicks: 100_100,
      sizeLots: 1_300,
      buyerIsMaker: false,
      row: 8,
    },
    // A buy one tick beyond our price: the book traded through us, the rest fills.
    {
      kind: 'trade',
      tsLocalNs: 1_500n * MS,
      tsExchangeNs: 0n,
      priceTicks: 100_101,
      sizeLots: 1,
      buyerIsMaker: false,
      row: 9,
    },
  ]
  const parameters = (queue: QueueModel): RunL2HedgeBacktestParameters => ({
    capture: { file: 'hand', events: from(events) },
    hedger: {
      venues: [{ venue: 'v', ...grid, makerFeeBps: 10, minNotionalQuote: 20 }],
      calibration: {
        volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 1 },
        intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
      },
      // The scenario holds the reducing ask at the fee floor (1001.00), as worked out by hand above.
      model: { eta: 3, gammaPerPrice: 0.1, feeFloorOnReducingSide: true },
      hedge: { orderSizeBase: 0.1 },
    },
    venue: 'v',
    queue,
    latency: constantLatency({ entryNs: 5n * MS, responseNs: 5n * MS }),
    fee: makerTakerFee({ ...grid, makerFeeBps: '10', takerFeeBps: '10' }),
    lpInventory: { baseHeldBase: '1.5', baseTargetBase: '1.0' },
    timerIntervalNs: SEC,
  })

  it('risk-averse: the cancel of 2200 is assumed behind us (ahead 500 → 300); 1300 traded fill 1000, the trade-through 4000', async () => {
    const r = await runL2HedgeBacktest(parameters(riskAverseQueue()))
    expect(r.orderLog.filter((e) => e.action === 'sent' || e.action === 'joined')).toEqual([
      {
        tsNs: 1_100n * MS,
        clientOrderId: 'alp0x0',
        action: 'sent',
        side: 'sell',
        priceTicks: 100_100,
        sizeLots: 5_000,
      },
      {
        tsNs: 1_105n * MS,
        clientOrderId: 'alp0x0',
        action: 'joined',
        side: 'sell',
        priceTicks: 100_100,
        sizeLots: 5_000,
      },
    ])
    expect(r.fills.map((f) => [f.tsNs, f.sizeBase, f.price, f.reason, f.queueAheadAtEntryLots, f.feeQuote])).toEqual([
      // 300 − 1300 = −1000 → 1000 lots; fee 1001.00 × 0.1 × 0.001 = 0.1001.
      [1_400n * MS, '0.1000', '1001.00', 'queue', 3_000, '0.1001'],
      // 5000 − 1000 = 4000 lots; fee 1001.00 × 0.4 × 0.001 = 0.4004.
      [1_500n * MS, '0.4000', '1001.00', 'tradeThrough', 3_000, '0.4004'],
    ])
    expect(r.positionBase).toBe('-0.5000')
    // Cash 1001 × 0.5 − 0.5005 = 499.9995; final mid (999.99 + 1000.01) / 2 = 1000.00; PnL 499.9995 − 500 = −0.0005.
    expect([r.cashQuote, r.feesQuote, r.finalMidPrice, r.hedgePnlQuote]).toEqual([
      '499.9995',
      '0.5005',
      '1000.00',
      '-0.0005',
    ])
    expect(r.timeToFirstFillNs).toBe(300n * MS)
  })

  it('probabilistic (n = 1): 2200 cancels split by back/(back+front) = 2000/2500 → all 500 ahead go; 1300 traded fill 1300', async () => {
    // Ahead 500, behind 2000 when the level drops by 2200 without trades: 2200 × 0.8 = 1760 ≥ 500 → ahead 0, behind
    // 2000 − (2200 − 500) = 300. The trade of 1300 then fills 1300; the trade-through the remaining 3700.
    const r = await runL2HedgeBacktest(parameters(powerProbQueue({ exponent: 1 })))
    expect(r.fills.map((f) => [f.tsNs, f.sizeLots, f.reason])).toEqual([
      [1_400n * MS, 1_300, 'queue'],
      [1_500n * MS, 3_700, 'tradeThrough'],
    ])
    expect(r.positionLots).toBe(-5_000)
  })

  it('probabilistic: a trade and the depth diff that reports it move the queue once, not twice', async () => {
    // Ahead 500, behind 2000 after the 2500 traded at 1.2 s; the diff at 1.3 s shows 5000 → 2500: exactly the trade, no
    // cancel, so nobody moves (counting it again as a cancel would take 2500 × 0.8 ≥ 500 from ahead: ahead 0). The 300
    // traded at 1.4 s leave 200 ahead: no fill; the trade-through at 1.5 s fills all 5000.
    const list = events.map((e): L2CaptureEvent => {
      if (e.row === 7) return { ...(e as L2CaptureEvent & { kind: 'depth' }), asks: [[100_100, 2_500]] }
      if (e.row === 8) return { ...(e as L2CaptureEvent & { kind: 'trade' }), sizeLots: 300 }
      return e
    })
    const r = await runL2HedgeBacktest({
      ...parameters(powerProbQueue({ exponent: 1 })),
      capture: { file: 'hand', events: from(list) },
    })
    expect(r.fills.map((f) => [f.tsNs, f.sizeLots, f.reason])).toEqual([[1_500n * MS, 5_000, 'tradeThrough']])
  })

  it('the bid side moving onto our ask fills the rest (bookCross) at our price', async () => {
    // At 1.15 s the asks up to 1001.00 are gone and a bid appears at 1001.00: whoever bid there met our ask first.
    const cross: L2CaptureEvent = {
      kind: 'depth',
      tsLocalNs: 1_150n * MS,
      tsExchangeNs: 0n,
      lastUpdateId: 12,
      bids: [[100_100, 50]],
      asks: [
        [100_001, 0],
        [100_100, 0],
        [100_200, 10],
      ],
      row: 4,
    }
    const r = await runL2HedgeBacktest({
      ...parameters(riskAverseQueue()),
      capture: { file: 'hand', events: from([...events.slice(0, 3), cross]) },
    })
    expect(r.fills.map((f) => [f.tsNs, f.sizeLots, f.price, f.reason])).toEqual([
      [1_150n * MS, 5_000, '1001.00', 'bookCross'],
    ])
    // Final mid (1001.00 + 1002.00) / 2 = 1001.50; cash 1001 × 0.5 − 0.5005 = 499.9995; PnL 499.9995 − 0.5 × 1001.5.
    expect([r.finalMidPrice, r.cashQuote, r.hedgePnlQuote]).toEqual(['1001.50', '499.9995', '-0.7505'])
  })

  it('an amend loses queue priority: the LP grows to 0.8 ETH long, the ask is resized and re-joins behind 3300', async () => {
    // Same capture plus 3000 lots joining the level at 1.32 s (300 → 3300). Timers every 50 ms; the LP holds 1.8 ETH
    // from 1.33 s, so at the 1.35 s timer the hedger amends the ask to 8000 lots (|8000 − 5000| > 20 % of 5000; same
    // price: σ = 0 gives no skew and the fee floor still binds). At the venue (1.355 s) it re-joins the back of the
    // level: 3300 ahead. Without the amend we would have had 300 ahead and the 1300 traded at 1.4 s would have filled
    // 1000; now ahead 3300 − 1300 = 2000 > 0, no fill, and the trade-through at 1.5 s fills all 8000.
    const grow: L2CaptureEvent = {
      kind: 'depth',
      tsLocalNs: 1_320n * MS,
      tsExchangeNs: 0n,
      lastUpdateId: 14,
      bids: [],
      asks: [[100_100, 3_300]],
      row: 8,
    }
    const withGrowth = [...events.slice(0, 7), grow, ...events.slice(7).map((e) => ({ ...e, row: e.row + 1 }))]
    const r = await runL2HedgeBacktest({
      ...parameters(riskAverseQueue()),
      capture: { file: 'hand', events: from(withGrowth) },
      lpInventory: { baseHeldBase: (tsNs) => (tsNs < 1_330n * MS ? '1.5' : '1.8'), baseTargetBase: '1.0' },
      timerIntervalNs: 50n * MS,
    })
    expect(r.orderLog.filter((e) => e.action === 'amended')).toEqual([
      {
        tsNs: 1_355n * MS,
        clientOrderId: 'alp0x0',
        action: 'amended',
        side: 'sell',
        priceTicks: 100_100,
        sizeLots: 8_000,
      },
    ])
    expect(r.fills.map((f) => [f.tsNs, f.sizeLots, f.reason, f.queueAheadAtEntryLots])).toEqual([
      [1_500n * MS, 8_000, 'tradeThrough', 3_300],
    ])
    expect(r.orders).toEqual({ placed: 1, amended: 1, cancelled: 0, rejected: 0, openAtEnd: 0 })
  })

  it('bad input is a typed error naming the file, row and field', async () => {
    const run = (list: L2CaptureEvent[], patch: Partial<RunL2HedgeBacktestParameters> = {}) =>
      runL2HedgeBacktest({
        ...parameters(riskAverseQueue()),
        capture: { file: 'bad.gz', events: from(list) },
        ...patch,
      })
    const snapshot = events[0]!
    // No snapshot line: the book cannot be built.
    await expect(run(events.slice(1))).rejects.toThrow(InvalidFieldError)
    await expect(run(events.slice(1))).rejects.toThrow(/bad.gz row 9: field 'lastUpdateId'/)
    // A diff that crosses the book.
    const crossing: L2CaptureEvent = {
      kind: 'depth',
      tsLocalNs: 2n * SEC,
      tsExchangeNs: 0n,
      lastUpdateId: 11,
      bids: [[100_050, 10]],
      asks: [],
      row: 2,
    }
    await expect(run([snapshot, crossing])).rejects.toThrow(/bad.gz row 2: field 'b\/a'/)
    // Update ids going back.
    const late: L2CaptureEvent = { ...crossing, bids: [[99_000, 1]], lastUpdateId: 11, row: 3 }
    const later: L2CaptureEvent = { ...late, lastUpdateId: 15, row: 2 }
    await expect(run([snapshot, later, late])).rejects.toThrow(EventsOutOfOrderError)
    // A trade of size 0.
    const empty: L2CaptureEvent = { ...(events[4] as L2CaptureEvent & { kind: 'trade' }), sizeLots: 0, row: 4 }
    await expect(run([snapshot, empty])).rejects.toThrow(/bad.gz row 4: field 'q'/)
    // Config: unknown venue, bad LP inventory.
    await expect(run(events, { venue: 'nope' })).rejects.toThrow(InvalidConfigError)
    await expect(run(events, { lpInventory: { baseHeldBase: () => 'x', baseTargetBase: '1' } })).rejects.toThrow(
      /lpInventory.baseHeldBase/,
    )
  })
})
