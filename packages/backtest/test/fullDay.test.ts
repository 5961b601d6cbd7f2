import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRunConfig } from '../src/config/loadRunConfig.js'
import { resolveModels } from '../src/config/resolveModels.js'
import type { RunConfig } from '../src/config/runConfig.js'
import { createSimClock } from '../src/engine/simClock.js'
import { MissingModelError } from '../src/errors/config.js'
import type { BacktestResults } from '../src/report/resultsTypes.js'
import { writeResults } from '../src/report/writeResults.js'
import { runBacktest } from '../src/strategy/runBacktest.js'

const CONFIG = new URL('../../../examples/two-venue-backtest/config.json', import.meta.url).pathname
const CHROMIUM = '/usr/bin/chromium'

describe('the full two-venue strategy on 2024-01-05', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alp-backtest-day-'))
  let config: RunConfig
  let results: BacktestResults
  let reportPath: string
  const clock = createSimClock(0n)

  beforeAll(async () => {
    config = await loadRunConfig(CONFIG)
    results = await runBacktest({ config, clock })
    ;({ reportPath } = await writeResults(results, dir))
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('runs the whole day: every pool event and kline, one sample per minute', () => {
    expect(results.period).toMatchObject({ poolEvents: 6234, klines: 1440 })
    expect(results.series.tsMs.length).toBe(1440)
    expect(results.schemaVersion).toBe(1)
    expect(results.summary.rebalances).toBeGreaterThan(0)
    expect(results.summary.trades).toBeGreaterThan(0)
    // The injected clock ends at the last event: the close of the last kline, 2024-01-06 00:00:00 UTC.
    expect(clock.nowNs()).toBe(BigInt(Date.UTC(2024, 0, 6)) * 1_000_000n)
  })

  it('fees collected from our positions equal what the pool fee growth says they were owed, to the wei', () => {
    // feesFromGrowth: uniswap-lp getFeeGrowthInside + getTokensOwed on the simulator's ticks, read before the burn;
    // fees: collect − burn principal, as the simulated pool paid them.
    const closing = results.rebalances.slice(1)
    expect(closing.length).toBeGreaterThan(0)
    for (const r of closing) {
      expect({ fees0: r.fees0Raw, fees1: r.fees1Raw }).toEqual({
        fees0: r.feesFromGrowth0Raw,
        fees1: r.feesFromGrowth1Raw,
      })
    }
    expect(BigInt(results.summary.feesCollected0Raw) + BigInt(results.summary.feesCollected1Raw)).toBeGreaterThan(0n)
  })

  it('writes a results JSON that parses back to the same object, with exactly the fields the JSON Schema requires', () => {
    const parsed = JSON.parse(readFileSync(join(dir, 'backtest_results.json'), 'utf8'))
    expect(parsed.summary).toEqual(JSON.parse(JSON.stringify(results.summary)))
    const schema = JSON.parse(readFileSync(new URL('../schema/backtest-results.schema.json', import.meta.url), 'utf8'))
    const keys = (o: object) => Object.keys(o).sort()
    expect(keys(parsed)).toEqual([...schema.required].sort())
    expect(keys(parsed.summary)).toEqual([...schema.properties.summary.required].sort())
    expect(keys(parsed.series)).toEqual([...schema.properties.series.required].sort())
    expect(parsed.schemaVersion).toBe(schema.properties.schemaVersion.const)
  })

  it('the report renders its three charts in headless Chromium, offline', async () => {
    // A fresh profile per run (launchPersistentContext takes it as --user-data-dir).
    const userDataDir = mkdtempSync(join(tmpdir(), 'alp-chromium-'))
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 1600 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
    try {
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      const requests: string[] = []
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url())
      })
      await page.goto(`file://${reportPath}`)
      await page.waitForSelector('body[data-charts-rendered="3"]', { timeout: 20_000 })
      const canvases = await page.$$eval('.chart canvas', (cs) =>
        (
          cs as unknown as {
            width: number
            height: number
            getContext(kind: '2d'): {
              getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
            }
          }[]
        ).map((c) => {
          const ctx = c.getContext('2d')!
          const pixels = ctx.getImageData(0, 0, c.width, c.height).data
          let painted = 0
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++
          return { width: c.width, height: c.height, painted }
        }),
      )
      expect(errors).toEqual([])
      expect(requests).toEqual([])
      expect(canvases.length).toBe(3)
      for (const c of canvases) {
        expect(c.width).toBeGreaterThan(100)
        expect(c.painted).toBeGreaterThan(1000) // lines were drawn, not an empty canvas
      }
      if (process.env.ALP_REPORT_SCREENSHOT)
        await page.screenshot({ path: process.env.ALP_REPORT_SCREENSHOT, fullPage: true })
    } finally {
      await browser.close()
      rmSync(userDataDir, { recursive: true, force: true })
    }
  }, 60_000)

  it('a config without a fill model is a typed error naming the field (no silent default)', () => {
    const { fill: _fill, ...rest } = config.models
    expect(() => resolveModels({ ...config, models: rest })).toThrow(MissingModelError)
    expect(() => resolveModels({ ...config, models: rest })).toThrow(/models\.fill/)
  })
})
