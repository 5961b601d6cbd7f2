import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRunConfig } from '../src/config/loadRunConfig.js'
import type { RunConfig } from '../src/config/runConfig.js'
import type { BacktestResults } from '../src/report/resultsTypes.js'
import { runBacktest } from '../src/strategy/runBacktest.js'

/*
 * One inventory target: the backtester measures the LP's inventory against the live LP manager's value-share target
 * (targetBaseShare 0.5 of the holdings' value at the pool price), not against half the initial base amount.
 * Oracle (by hand, from the config): before the first rebalance the LP holds its initial 2 500 USDC + 1 WETH, so at
 * the pool price P the target is 0.5 · (1 + 2 500 / P) WETH and the excess is 1 − 0.5 · (1 + 2 500 / P) ≈ −0.05 WETH
 * near P ≈ 2 270 (the old target, half the initial base, gave 1 − 0.5 = +0.5 and a net exposure of 0 against the full
 * initial base). The hedger sizes its quotes from that exposure: with the old +0.5 its first fill sold 0.5 WETH.
 * Window: 2024-01-05 00:00–02:00 of the example's data.
 */

const CONFIG = new URL('../../../examples/two-venue-backtest/config.json', import.meta.url).pathname
const SLICE_END_MS = Date.UTC(2024, 0, 5, 2)
const MINUTE_MS = 60_000

let dir: string
let results: BacktestResults
beforeAll(async () => {
  const example = await loadRunConfig(CONFIG)
  dir = mkdtempSync(join(tmpdir(), 'alp-inventory-target-'))
  const klines = readFileSync(example.data.klines, 'utf8').trim().split('\n')
  const pool = readFileSync(example.data.poolEvents, 'utf8').trim().split('\n')
  const keepKline = (l: string) => Number(l.split(',')[0]) + MINUTE_MS <= SLICE_END_MS
  const keepPool = (l: string) => Date.parse(`${l.split(',')[1]!.replace(' ', 'T')}Z`) <= SLICE_END_MS
  writeFileSync(join(dir, 'klines.csv'), `${[klines[0], ...klines.slice(1).filter(keepKline)].join('\n')}\n`)
  writeFileSync(join(dir, 'pool.csv'), `${[pool[0], ...pool.slice(1).filter(keepPool)].join('\n')}\n`)
  const config: RunConfig = { ...example, data: { poolEvents: join(dir, 'pool.csv'), klines: join(dir, 'klines.csv') } }
  results = await runBacktest({ config })
}, 60_000)
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

describe('runBacktest: one inventory target (the live manager’s value share)', () => {
  it('reports the net exposure against the value-share target before the first rebalance', () => {
    const p0 = results.series.poolPrice[0]!
    expect(p0).toBeGreaterThan(2_000)
    expect(p0).toBeLessThan(2_600)
    expect(results.series.lpBase[0]).toBeCloseTo(1, 12)
    expect(results.series.hedgeBase[0]).toBe(0)
    const excess = 1 - 0.5 * (1 + 2_500 / p0)
    expect(excess).toBeLessThan(-0.01)
    expect(results.series.netExposureBase[0]).toBeCloseTo(excess, 9)
  })

  it('hedges the excess over the value-share target, not half the initial base', () => {
    // The old target (0.5 WETH) put a 0.5 WETH excess in front of the hedger: its first fill sold 0.5 and the hedge
    // went 0.69 short in these two hours. The value-share excess is ≈ −0.05 WETH and moves by a few hundredths per
    // range step, so the hedge stays within a quarter WETH of flat and no fill is as large as the old excess.
    expect(results.trades.length).toBeGreaterThan(0)
    for (const t of results.trades) expect(Number(t.sizeBase)).toBeLessThan(0.25)
    expect(Math.min(...results.series.hedgeBase)).toBeGreaterThan(-0.25)
  })
})
