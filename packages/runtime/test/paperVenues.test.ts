import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../src/journal/Journal.js'
import { replayJournalIntoBacktest } from '../src/journal/replayJournalIntoBacktest.js'
import { type PaperRunResult, runPaper } from '../src/paper/runPaper.js'

/*
 * Paper mode with every hedge venue in ONE run: examples/paper-deployment/alp-paper.ini (Binance USD-M ETHUSDT) plus
 * Deribit's three venue roles on the inverse ETH-PERPETUAL (contracts of 1 USD, [trader.HEDGER.VENUE.deribit.CONTRACT]
 * TYPE = inverse) and GRVT's three on ETH_USDT_Perp. runPaper starts the Deribit and GRVT emulators next to the Binance
 * one, on the same replay clock, replaying the same klines, and fills their URLs and keys into paper.ini. Window
 * 00:00–00:25 of 2024-01-05 at 30×: the LP opens at 00:11 about 0.78 ETH long of its
 * target; the trader quotes on the three venues and the hedge fills on each where the market trades through.
 */
const here = dirname(fileURLToPath(import.meta.url))
const out = mkdtempSync(join(tmpdir(), 'alp-paper-venues-'))
const venuesIni = join(out, 'venues.ini')
let run: PaperRunResult
/** [trader.HEDGER.HEDGE] ORDER_SIZE_BASE of examples/paper-deployment/alp-paper.ini. */
const ORDER_SIZE_BASE = 0.1

const role = (exchange: string, kind: string, symbol: string) => `[${exchange}.${kind}]
PROCESS_NAME = ${exchange}_${kind.replace('-', '_')}
ASSET_TYPE = ${exchange === 'deribit' ? 'INVERSE' : 'PERPETUAL'}
[${exchange}.${kind}.MARKET_DATA]
SYMBOLS = ${symbol}
`
const roles = (exchange: string, symbol: string) =>
  ['quote-server', 'trading-engine', 'position-server'].map((kind) => role(exchange, kind, symbol)).join('\n')

beforeAll(async () => {
  writeFileSync(
    venuesIni,
    `${roles('deribit', 'ETH-PERPETUAL')}
[trader.HEDGER.VENUE.deribit]
TICK_SIZE = 0.05
STEP_SIZE = 0.001
MIN_NOTIONAL_QUOTE = 20
SUPPORTS_AMEND = true
[trader.HEDGER.VENUE.deribit.CONTRACT]
TYPE = inverse
CONTRACT_SIZE_QUOTE = 1
${roles('grvt', 'ETH_USDT_Perp')}
[trader.HEDGER.VENUE.grvt]
TICK_SIZE = 0.01
STEP_SIZE = 0.01
MIN_NOTIONAL_QUOTE = 20
SUPPORTS_AMEND = false
`,
  )
  run = await runPaper({
    day: '2024-01-05',
    from: '00:00',
    to: '00:25',
    speed: 30,
    outDir: out,
    configFiles: [resolve(here, '../../../examples/paper-deployment/alp-paper.ini'), venuesIni],
    strategy: { initialAmount0Raw: 1_000_000_000n, initialAmount1Raw: 2_000_000_000_000_000_000n },
  })
}, 240_000)
afterAll(() => {
  if (process.env.ALP_KEEP_PAPER === undefined) rmSync(out, { recursive: true, force: true })
  else process.stderr.write(`kept ${out}\n`)
})

describe('alp paper with Binance, the inverse Deribit ETH-PERPETUAL and GRVT in one run', () => {
  it('quotes on every venue, fills hedges on each, and brings the net exposure down', () => {
    expect(run.errors).toEqual([])
    const journal = new Journal(join(out, 'journal', 'journal.sqlite'))
    let byVenue: Map<string, number>
    let ordersByVenue: Map<string, number>
    try {
      byVenue = new Map()
      for (const fill of journal.fills()) byVenue.set(fill.venue, (byVenue.get(fill.venue) ?? 0) + 1)
      ordersByVenue = new Map()
      for (const order of journal.orders()) ordersByVenue.set(order.venue, (ordersByVenue.get(order.venue) ?? 0) + 1)
    } finally {
      journal.close()
    }
    process.stderr.write(
      `fills by venue: ${JSON.stringify([...byVenue])}; orders ${JSON.stringify([...ordersByVenue])}\n`,
    )
    for (const venue of ['binance-usdm', 'deribit', 'grvt']) expect(ordersByVenue.get(venue) ?? 0).toBeGreaterThan(0)
    expect(byVenue.get('deribit') ?? 0).toBeGreaterThan(0)
    expect(byVenue.get('grvt') ?? 0).toBeGreaterThan(0)
    process.stderr.write(
      `exposure: ${run.exposure.map((s) => `${new Date(s.replayMs).toISOString().slice(14, 19)} ${s.netBase.toFixed(3)}`).join(', ')}\n`,
    )
    const start = Math.abs(run.exposure[0]?.netBase ?? 0)
    expect(start).toBeGreaterThan(0.5)
    const after = run.exposure.slice(1).map((s) => Math.abs(s.netBase))
    expect(Math.min(...after)).toBeLessThan(start - 0.1)
    const bound = start + ORDER_SIZE_BASE + 1e-6
    for (const sample of run.exposure) expect(Math.abs(sample.netBase)).toBeLessThanOrEqual(bound)
    expect(run.openOrdersAtEnd).toBe(0)
  })

  it('its journal replayed into the backtester gives the run’s own rebalances, fills and PnL parts', () => {
    const replayed = replayJournalIntoBacktest(join(out, 'journal', 'journal.sqlite'))
    const paper = run.paper
    // Rebalances: the same plans, ranges and collected fees to the unit. The journal stamps each with its execution
    // (the lp.action message), the paper run with the kline close it was decided at: at most a minute later.
    expect(replayed.rebalances.length).toBe(paper.rebalances.length)
    expect(paper.rebalances.length).toBeGreaterThan(0)
    for (const [i, r] of replayed.rebalances.entries()) {
      const p = paper.rebalances[i]!
      expect({ base: r.base, limit: r.limit, fees0Raw: r.fees0Raw, fees1Raw: r.fees1Raw, reason: r.reason }).toEqual({
        base: p.base,
        limit: p.limit,
        fees0Raw: p.fees0Raw,
        fees1Raw: p.fees1Raw,
        reason: p.reason,
      })
      expect(r.tsMs - p.tsMs).toBeGreaterThanOrEqual(0)
      expect(r.tsMs - p.tsMs).toBeLessThanOrEqual(60_000)
    }
    // Fills: the same trades of every venue, on each venue's grid (the journal is where the run read them too).
    const key = (t: { clientOrderId: string; side: string; price: string; sizeBase: string }) =>
      `${t.clientOrderId} ${t.side} ${t.price} ${t.sizeBase}`
    expect(replayed.trades.map(key).sort()).toEqual(paper.trades.map(key).sort())
    // PnL parts, at the window's last kline close (both end there), each within what its two sources may differ by:
    // - fees: the LP manager's own count (collected fees valued at the collect's price, lp.pnl) against the paper
    //   run's (valued at the decision's pool price): the pool moves well under 1 % within a rebalance;
    // - gas: the same wei, priced at the last lp.pnl before the execution against the decision's pool price: < 1 %;
    // - hedge: the same fills, the position marked at the mark venue's last print before the close against the kline
    //   close: at most 0.1 % of the price on the largest position held;
    // - IL = LP value − hold − fees: the same holdings and pool price at the close, so it moves only with the fees.
    const s = replayed.summary
    const q = paper.summary
    process.stderr.write(`replayed ${JSON.stringify(pick(s))}\npaper    ${JSON.stringify(pick(q))}\n`)
    expect(replayed.series.tsMs.at(-1)).toBe(paper.series.tsMs.at(-1))
    const feesTolerance = 0.01 * Math.abs(q.feesUsd) + 0.01
    const gasTolerance = 0.01 * q.gasUsd + 0.01
    const maxHedge = Math.max(...paper.series.hedgeBase.map(Math.abs))
    const hedgeTolerance = 0.001 * (paper.series.poolPrice.at(-1) as number) * maxHedge + 0.01
    expect(Math.abs(s.feesUsd - q.feesUsd)).toBeLessThanOrEqual(feesTolerance)
    expect(Math.abs(s.gasUsd - q.gasUsd)).toBeLessThanOrEqual(gasTolerance)
    expect(Math.abs(s.hedgePnlUsd - q.hedgePnlUsd)).toBeLessThanOrEqual(hedgeTolerance)
    expect(Math.abs(s.impermanentLossUsd - q.impermanentLossUsd)).toBeLessThanOrEqual(feesTolerance + 0.01)
    expect(Math.abs(s.pnlVsHoldUsd - q.pnlVsHoldUsd)).toBeLessThanOrEqual(gasTolerance + hedgeTolerance + 0.01)
    expect(s.holdValueUsd).toBeCloseTo(q.holdValueUsd, 6)
  })
})

function pick(s: PaperRunResult['paper']['summary']) {
  const { pnlVsHoldUsd, feesUsd, impermanentLossUsd, hedgePnlUsd, gasUsd, holdValueUsd, rebalances, trades } = s
  return { pnlVsHoldUsd, feesUsd, impermanentLossUsd, hedgePnlUsd, gasUsd, holdValueUsd, rebalances, trades }
}
