import { describe, expect, it } from 'vitest'
import { readCapture } from '../../test/src/readCapture.js'
import { DecimalGrid } from '../common/decimal.js'
import { BinanceDepthBook, type DepthRule } from './depthBook.js'
import { parseBookTicker } from './parse/parseBookTicker.js'
import { parseDepthSnapshot, parseDepthUpdate } from './parse/parseDepthUpdate.js'

/*
 * Real-data test: the capture's REST snapshot + diff-depth stream through our book, checked against EVERY bookTicker
 * that can be compared with it.
 *
 * Matching rule. After applying depth event k (ids U_k..u_k) the book is the venue's book as of update id u_k, and it
 * stays that way until the first update of the next event, U_{k+1} (no update for this symbol has an id in between:
 * futures events chain with pu_{k+1} = u_k, spot events with U_{k+1} = u_k + 1). A bookTicker carries the update id u_b
 * of the book state it shows, so it is comparable exactly when u_k ≤ u_b < U_{k+1} for some applied k; tickers whose
 * u_b falls strictly inside a depth event (U_{k+1} ≤ u_b < u_{k+1}) show an intermediate state that the aggregated
 * depth stream never exposes, and are not comparable. Comparison is on prices AND sizes of both sides, as integers on the
 * instrument grid (ETHUSDT: tick 0.01; sizes on 0.001 for futures; spot book sizes on 1e-8, the base asset precision,
 * because spot levels carry sizes finer than the 0.0001 order step, e.g. "2292.22972000" in event u=35346568677).
 * Tickers are matched by id, not by arrival order (bookTicker frames often arrive before the depth frame that covers them).
 */
function replay(file: string, rule: DepthRule, stepSize: string) {
  const venue = rule === 'usdm' ? 'binance-usdm' : 'binance-spot'
  const priceGrid = new DecimalGrid('0.01')
  const sizeGrid = new DecimalGrid(stepSize)
  const book = new BinanceDepthBook({ venue, symbol: 'ETHUSDT', rule, priceGrid, sizeGrid })
  type State = { U: number; u: number; bid: bigint; bidSize: bigint; ask: bigint; askSize: bigint }
  const applied: State[] = []
  const tickers: { u: number; bid: bigint; bidSize: bigint; ask: bigint; askSize: bigint }[] = []
  let snapshots = 0
  for (const line of readCapture(file)) {
    const msg = JSON.parse(line.json) as { stream?: string; data?: unknown; lastUpdateId?: number }
    if (msg.lastUpdateId !== undefined) {
      snapshots++
      expect(book.onSnapshot(parseDepthSnapshot(msg, venue))).toBe('synced')
      continue
    }
    if (msg.stream?.endsWith('@bookTicker')) {
      const t = parseBookTicker(msg.data, venue)
      tickers.push({
        u: t.updateId,
        bid: priceGrid.toTicks(t.bidPrice),
        bidSize: sizeGrid.toTicks(t.bidSizeBase),
        ask: priceGrid.toTicks(t.askPrice),
        askSize: sizeGrid.toTicks(t.askSizeBase),
      })
    } else if (msg.stream?.includes('@depth')) {
      const event = parseDepthUpdate(msg.data, venue)
      const outcome = book.onDepthUpdate(event)
      expect(['buffered', 'applied', 'stale'], book.lastResyncReason).toContain(outcome)
      if (outcome === 'applied') {
        const bbo = book.bbo()!
        applied.push({
          U: event.U,
          u: event.u,
          bid: priceGrid.toTicks(bbo.bidPrice),
          bidSize: sizeGrid.toTicks(bbo.bidSizeBase),
          ask: priceGrid.toTicks(bbo.askPrice),
          askSize: sizeGrid.toTicks(bbo.askSizeBase),
        })
        expect(book.book.checkCrossed()).toBeUndefined()
      }
    }
  }
  // events replayed from the buffer inside onSnapshot are not in `applied`; compare only from the first live event on
  tickers.sort((x, y) => x.u - y.u)
  let compared = 0
  let mismatches = 0
  let k = 0
  for (const t of tickers) {
    while (k + 1 < applied.length && applied[k + 1]!.U <= t.u) k++
    const state = applied[k]
    if (!state || t.u < state.u) continue
    const next = applied[k + 1]
    if (!next || t.u >= next.U) continue // after the last event, or inside event k+1: not comparable
    compared++
    if (t.bid !== state.bid || t.bidSize !== state.bidSize || t.ask !== state.ask || t.askSize !== state.askSize)
      mismatches++
  }
  expect(book.book.audit()).toBeUndefined()
  return {
    snapshots,
    applied: applied.length,
    tickers: tickers.length,
    compared,
    mismatches,
    resyncs: book.resyncCount,
  }
}

describe('BinanceDepthBook on the real 2024-08-08 ETHUSDT capture', () => {
  it('USDⓈ-M (depth@0ms, pu chaining): every comparable bookTicker equals our top of book, zero resyncs', () => {
    const r = replay('usdm_ethusdt_20240808.gz', 'usdm', '0.001')
    expect(r.snapshots).toBe(1)
    expect(r.resyncs).toBe(0)
    expect(r.mismatches).toBe(0)
    // PROVENANCE.md: 6586 depth and 53992 bookTicker frames; most tickers are comparable.
    expect(r.applied).toBeGreaterThan(6500)
    // futures depth events aggregate many updates (ids are sparse), so most tickers fall inside an event
    expect(r.compared).toBeGreaterThan(500)
    console.log('usdm replay', r)
  })

  it('spot (depth@100ms, U = previous u + 1): every comparable bookTicker equals our top of book, zero resyncs', () => {
    const r = replay('spot_ethusdt_20240808.gz', 'spot', '0.00000001')
    expect(r.snapshots).toBe(1)
    expect(r.resyncs).toBe(0)
    expect(r.mismatches).toBe(0)
    expect(r.applied).toBeGreaterThan(3300)
    expect(r.compared).toBeGreaterThan(500)
    console.log('spot replay', r)
  })
})
