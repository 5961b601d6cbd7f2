import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BacktestResults } from '@alp/backtest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../src/journal/Journal.js'
import { type PaperRunResult, runPaper } from '../src/paper/runPaper.js'

/*
 * Paper mode end to end: anvil with the real Uniswap v3 contracts replaying the mainnet USDC/WETH 0.05 % pool of
 * 2024-01-05 (data/uniswap-mainnet-2024-01-05/…0x88e6….tick.csv), the Binance emulator replaying the same day's
 * ETHUSDT USD-M klines (data/binance-ethusdt-klines-2024-01-05/…futures-um.reduced.csv), one replay clock at 60×, and
 * every role of examples/paper-deployment/alp-paper.ini (quote-server, trading-engine, position-server, trader and the
 * lp-manager running createLpManager) against them. Window 00:00–00:25: the LP opens its first position at 00:11
 * (the first kline close after the 10-minute warm-up; the backtest example's first rebalance, docs/backtest.md), and
 * the hedger works on the exposure that leaves. The LP wallet holds 1 000 USDC + 2 WETH (instead of the example's
 * 2 500 USDC + 1 WETH, which is almost at the value-share target): the LP starts about 0.78 ETH long of its target, so
 * the hedge has something to bring down.
 */
const out = mkdtempSync(join(tmpdir(), 'alp-paper-'))
let run: PaperRunResult
const progress: { replayMs: number; swapsReplayed: number }[] = []

beforeAll(async () => {
  run = await runPaper({
    day: '2024-01-05',
    from: '00:00',
    to: '00:25',
    speed: 60,
    outDir: out,
    strategy: { initialAmount0Raw: 1_000_000_000n, initialAmount1Raw: 2_000_000_000_000_000_000n },
    onProgress: (p) => progress.push(p),
  })
}, 150_000)
afterAll(() => rmSync(out, { recursive: true, force: true }))

const partsSum = (r: BacktestResults, i: number) =>
  r.series.feesUsd[i]! + r.series.impermanentLossUsd[i]! + r.series.hedgePnlUsd[i]! - r.series.gasUsd[i]!

describe('alp paper: the deployment against the replayed chain and the Binance emulator on one clock', () => {
  it('rebalances the LP at the backtester’s klines, with the same reasons and ranges', () => {
    expect(run.errors).toEqual([])
    expect(run.paper.rebalances.length).toBeGreaterThanOrEqual(1)
    expect(run.backtest.rebalances.length).toBeGreaterThanOrEqual(1)
    const key = (r: BacktestResults['rebalances'][number]) => [
      r.tsMs,
      r.reason,
      r.base.tickLower,
      r.base.tickUpper,
      r.limit?.tickLower ?? null,
      r.limit?.tickUpper ?? null,
    ]
    expect(run.paper.rebalances.map(key)).toEqual(run.backtest.rebalances.map(key))
    expect(run.paper.rebalances[0]?.tsMs).toBe(Date.UTC(2024, 0, 5, 0, 11))
    // Minted on anvil by the real position manager.
    expect(BigInt(run.paper.rebalances[0]!.base.liquidity)).toBeGreaterThan(0n)
    expect(run.parity.rebalances.matched).toBe(run.backtest.rebalances.length)
  })

  it('fills hedge orders on the emulator and brings the net exposure down', () => {
    expect(run.paper.trades.length).toBeGreaterThan(0)
    for (const t of run.paper.trades) {
      // Fills carry the emulator's (replay) time, inside the window, after the LP's first position.
      expect(t.tsMs).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 5, 0, 11))
      expect(t.tsMs).toBeLessThanOrEqual(Date.UTC(2024, 0, 5, 0, 25))
    }
    expect(run.paper.trades.some((t) => t.side === 'sell')).toBe(true)
    process.stderr.write(
      `exposure: ${run.exposure.map((s) => `${new Date(s.replayMs).toISOString().slice(14, 19)} ${s.netBase.toFixed(3)}`).join(', ')}\n`,
    )
    // The first inventory: the LP about 0.78 ETH long of its target, nothing hedged yet.
    const start = Math.abs(run.exposure[0]!.netBase)
    expect(start).toBeGreaterThan(0.5)
    // Then the hedge: brought to (about) zero, and over the rest of the window it stays a fraction of the start
    // (the hedger keeps quoting both sides: single fills of its 0.1 ETH orders move it by ±0.1).
    const later = run.exposure.filter((s) => s.replayMs >= Date.UTC(2024, 0, 5, 0, 15)).map((s) => Math.abs(s.netBase))
    expect(Math.min(...run.exposure.slice(1).map((s) => Math.abs(s.netBase)))).toBeLessThan(0.05)
    const median = [...later].sort((a, b) => a - b)[Math.floor(later.length / 2)]!
    expect(median).toBeLessThan(start / 3)
  })

  it('writes the results JSON and the HTML report in the backtester’s format, PnL parts summing', () => {
    const results = JSON.parse(readFileSync(join(out, 'backtest_results.json'), 'utf8')) as BacktestResults
    const backtest = JSON.parse(readFileSync(join(out, 'backtest', 'backtest_results.json'), 'utf8')) as BacktestResults
    expect(Object.keys(results).sort()).toEqual(Object.keys(backtest).sort())
    expect(Object.keys(results.summary).sort()).toEqual(Object.keys(backtest.summary).sort())
    expect(Object.keys(results.series).sort()).toEqual(Object.keys(backtest.series).sort())
    expect(results.rebalances.length).toBe(run.paper.rebalances.length)
    expect(results.trades.length).toBe(run.paper.trades.length)
    // One sample per kline close of the window; every part present and fees + IL + hedge − gas = PnL vs hold.
    expect(results.series.tsMs.length).toBe(25)
    for (const r of [results, backtest]) {
      const s = r.summary
      for (const part of [s.feesUsd, s.impermanentLossUsd, s.hedgePnlUsd, s.gasUsd, s.pnlVsHoldUsd])
        expect(Number.isFinite(part)).toBe(true)
      expect(s.feesUsd + s.impermanentLossUsd + s.hedgePnlUsd - s.gasUsd).toBeCloseTo(s.pnlVsHoldUsd, 6)
    }
    for (let i = 0; i < results.series.tsMs.length; i++)
      expect(partsSum(results, i)).toBeCloseTo(results.series.pnlVsHoldUsd[i]!, 6)
    // The LP earned fees after its mint; gas was paid on anvil for it.
    expect(results.summary.feesUsd).toBeGreaterThan(0)
    expect(results.summary.gasUsd).toBeGreaterThan(0)
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html).toContain('<html')
    expect(html).toContain(results.name)
    expect(existsSync(join(out, 'backtest', 'report.html'))).toBe(true)
  })

  it('writes the parity report: side by side, every difference with its cause', () => {
    const parity = JSON.parse(readFileSync(join(out, 'parity.json'), 'utf8')) as PaperRunResult['parity']
    const markdown = readFileSync(join(out, 'parity.md'), 'utf8')
    expect(parity.rows.filter((r) => r.section === 'rebalances').length).toBeGreaterThanOrEqual(2)
    expect(parity.rows.filter((r) => r.section === 'hedge').map((r) => r.item)).toContain('hedge fills')
    expect(parity.rows.filter((r) => r.section === 'pnl').map((r) => r.item)).toEqual([
      'feesUsd',
      'impermanentLossUsd',
      'hedgePnlUsd',
      'gasUsd',
      'pnlVsHoldUsd',
    ])
    expect(parity.differences.length).toBe(parity.rows.filter((r) => !r.equal).length)
    for (const row of parity.rows) {
      if (row.equal) expect(row.cause).toBeNull()
      else {
        expect(row.cause?.length ?? 0).toBeGreaterThan(20)
        expect(markdown).toContain(row.cause!.replaceAll('|', '\\|'))
      }
    }
    // Gas: anvil charged its own base fee, the backtester its 20 gwei model: a difference, explained as such.
    const gas = parity.rows.find((r) => r.item === 'gasUsd')!
    expect(gas.equal).toBe(false)
    expect(gas.cause).toContain('gas actually paid on anvil')
    // Side by side in the file: the paper and the backtester values of every row.
    for (const row of parity.rows) expect(markdown).toContain(`| ${row.item.replaceAll('|', '\\|')} | ${row.paper}`)
    expect(run.parity.pnl.paper.pnlVsHoldUsd).toBeCloseTo(run.paper.summary.pnlVsHoldUsd, 9)
  })

  it('runs the roles on the replay clock: the trader’s run starts and ends in replay time, inside the window', () => {
    const journal = new Journal(join(out, 'journal', 'journal.sqlite'))
    try {
      const runs = journal.runs()
      expect(runs.length).toBe(1)
      const r = runs[0]!
      expect(r.startedMs).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 5, 0, 0))
      expect(r.startedMs).toBeLessThan(Date.UTC(2024, 0, 5, 0, 11))
      expect(r.endedMs).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 5, 0, 25))
      expect(r.endedMs).toBeLessThan(Date.UTC(2024, 0, 5, 1, 0))
      // `alp history` (Journal.history()) counts the rebalances the run made: the trader journaled each lp.action.
      expect(journal.history().rebalances).toBe(run.paper.rebalances.length)
    } finally {
      journal.close()
    }
  })

  it('reports progress while it runs: replay time moving forward, swaps replayed', () => {
    expect(progress.length).toBeGreaterThanOrEqual(5)
    const times = progress.map((p) => p.replayMs)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(progress[progress.length - 1]!.replayMs).toBe(Date.UTC(2024, 0, 5, 0, 25))
    expect(progress[progress.length - 1]!.swapsReplayed).toBe(run.paper.replay.swaps)
    expect(run.paper.replay.swaps).toBeGreaterThan(0)
  })
})
