import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BacktestResults } from '@alp/backtest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../src/journal/Journal.js'
import { type PaperRunResult, runPaper } from '../src/paper/runPaper.js'

/*
 * alp paper --split: the window of paperMode.test.ts (00:00–00:25 of 2024-01-05 at 60×, 1 000 USDC + 2 WETH: the LP
 * about 0.78 ETH long of its target), anvil + the chain replayer + the Binance emulator in this process, and the five
 * roles of examples/paper-deployment as processes of their own (test/paperRoleProcess.ts = `alp paper-role`, i.e.
 * runStart with the replay clock) on ZeroMQ over loopback, every link on a free port of paper.ini.
 * The trader's process is held TRADER_DELAY_MS before it starts (paperRoleProcess.ts's test hook), as a role slow to
 * come up on a loaded CI machine: at 60× that is 12 replay minutes, past the LP's first rebalance at 00:11. The run
 * must start the replay clock only once every role reported ready, so the trader still sees the whole window.
 */
const TRADER_DELAY_MS = 12_000
const here = dirname(fileURLToPath(import.meta.url))
const out = mkdtempSync(join(tmpdir(), 'alp-paper-split-'))
const script = join(here, '..', 'node_modules', '.cache', `alp-paper-role-${process.pid}-${Date.now()}.mjs`)
let run: PaperRunResult

beforeAll(async () => {
  mkdirSync(dirname(script), { recursive: true })
  const fromHere = createRequire(import.meta.url)
  const esbuild = createRequire(fromHere.resolve('tsup'))('esbuild') as {
    buildSync(options: Record<string, unknown>): unknown
  }
  esbuild.buildSync({
    entryPoints: [join(here, 'paperRoleProcess.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    packages: 'external',
    logLevel: 'warning',
  })
  run = await runPaper({
    day: '2024-01-05',
    from: '00:00',
    to: '00:25',
    speed: 60,
    outDir: out,
    strategy: { initialAmount0Raw: 1_000_000_000n, initialAmount1Raw: 2_000_000_000_000_000_000n },
    split: true,
    roleCommand: [process.execPath, script, '--test-start-delay', `trader=${TRADER_DELAY_MS}`],
  })
}, 170_000 + TRADER_DELAY_MS)
afterAll(() => {
  rmSync(out, { recursive: true, force: true })
  rmSync(script, { force: true })
})

describe('alp paper --split: the roles as processes on ZeroMQ over loopback', () => {
  it('writes paper.ini with every link on a loopback port and runs one process per role, each exiting 0 on SIGTERM', () => {
    const ini = readFileSync(join(out, 'paper.ini'), 'utf8')
    for (const section of [
      'binance.quote-server.PUBLISHERS',
      'binance.trading-engine.PUBLISHERS',
      'binance.position-server.PUBLISHERS',
      'trader.PUBLISHERS',
      'lp-manager.PUBLISHERS',
    ])
      expect(ini).toContain(`[${section}]`)
    expect(ini).toMatch(/MARKET_DATA = tcp:\/\/127\.0\.0\.1:\d+/)
    // alp stop semantics: the trader's exit 0 means every venue confirmed none of its orders open
    // (StopNotConfirmedError exits 1).
    expect(run.roleExits).toEqual({
      trader: 0,
      'quote-server': 0,
      'trading-engine': 0,
      'position-server': 0,
      'lp-manager': 0,
    })
    expect(run.openOrdersAtEnd).toBe(0)
    expect(run.errors).toEqual([])
  })

  it('rebalances the LP in its own process at the backtester’s klines, with the same reasons and ranges', () => {
    expect(run.paper.rebalances.length).toBeGreaterThanOrEqual(1)
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
    expect(BigInt(run.paper.rebalances[0]!.base.liquidity)).toBeGreaterThan(0n)
    expect(run.parity.rebalances.matched).toBe(run.backtest.rebalances.length)
    // One LP sample per kline close of the window, from the lp-manager process's records.
    expect(run.paper.series.tsMs.length).toBe(25)
    expect(run.paper.summary.feesUsd).toBeGreaterThan(0)
  })

  it('fills hedge orders on the emulator, the net exposure falls, and the trader’s run is on replay time', () => {
    expect(run.paper.trades.length).toBeGreaterThan(0)
    expect(run.paper.trades.some((t) => t.side === 'sell')).toBe(true)
    for (const t of run.paper.trades) {
      expect(t.tsMs).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 5, 0, 11))
      expect(t.tsMs).toBeLessThanOrEqual(Date.UTC(2024, 0, 5, 0, 25))
    }
    process.stderr.write(
      `split exposure: ${run.exposure.map((s) => `${new Date(s.replayMs).toISOString().slice(14, 19)} ${s.netBase.toFixed(3)}`).join(', ')}\n`,
    )
    const start = Math.abs(run.exposure[0]!.netBase)
    expect(start).toBeGreaterThan(0.5)
    expect(Math.min(...run.exposure.slice(1).map((s) => Math.abs(s.netBase)))).toBeLessThan(0.05)
    const later = run.exposure.filter((s) => s.replayMs >= Date.UTC(2024, 0, 5, 0, 15)).map((s) => Math.abs(s.netBase))
    const median = [...later].sort((a, b) => a - b)[Math.floor(later.length / 2)]!
    expect(median).toBeLessThan(start / 3)
    const journal = new Journal(join(out, 'journal', 'journal.sqlite'))
    try {
      const runs = journal.runs()
      expect(runs.length).toBe(1)
      // The replay clock is held at the window's start until every role is ready: the trader's run starts at 00:00
      // exactly, however late its process came up.
      expect(runs[0]!.startedMs).toBe(Date.UTC(2024, 0, 5, 0, 0))
      expect(runs[0]!.endedMs).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 5, 0, 25))
    } finally {
      journal.close()
    }
  })

  it('every parity row that differs carries its cause', () => {
    for (const row of run.parity.rows) {
      if (row.equal) expect(row.cause).toBeNull()
      else expect(row.cause?.length ?? 0).toBeGreaterThan(20)
    }
  })
})
