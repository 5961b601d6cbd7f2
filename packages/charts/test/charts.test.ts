import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  buildChartData,
  buildChartOptions,
  CHART_DEFINITIONS,
  chartsBrowserScript,
  loadChartAssets,
} from '../src/index.js'

describe('chart definitions and builders', () => {
  it('each chart takes its columns in a fixed order, and the data is checked against it', () => {
    expect(CHART_DEFINITIONS.price.series.map((s) => s.label)).toEqual([
      'pool price',
      'venue price',
      'base lower',
      'base upper',
      'limit lower',
      'limit upper',
    ])
    expect(CHART_DEFINITIONS.inventory.series.map((s) => s.label)).toEqual([
      'LP base',
      'hedge position',
      'net exposure',
    ])
    expect(CHART_DEFINITIONS.pnl.series.map((s) => s.label)).toEqual([
      'fees',
      'impermanent loss',
      'hedge PnL',
      'gas',
      'PnL vs hold',
    ])
    const data = buildChartData(
      CHART_DEFINITIONS.inventory,
      [1_000, 2_000],
      [
        [1, 2],
        [-0.5, Number.NaN],
        [0.5, null],
      ],
    )
    expect(data).toEqual([
      [1, 2],
      [1, 2],
      [-0.5, null],
      [0.5, null],
    ])
    expect(() => buildChartData(CHART_DEFINITIONS.inventory, [1_000], [[1], [2]])).toThrow(/2 columns, expected 3/)
    expect(() => buildChartData(CHART_DEFINITIONS.inventory, [1_000], [[1], [2], []])).toThrow(
      /net exposure has 0 values for 1 times/,
    )
    const options = buildChartOptions(CHART_DEFINITIONS.price, { width: 640 })
    expect(options).toMatchObject({ title: 'USD per ETH', width: 640, height: 300, scales: { x: { time: true } } })
    // Prices: the y axis spans the data (no stretch to 0); amounts and PnL keep 0 in view.
    expect(options.scales.y).toEqual({
      range: { min: { pad: 0.1, soft: 0, mode: 0 }, max: { pad: 0.1, soft: 0, mode: 0 } },
    })
    expect(buildChartOptions(CHART_DEFINITIONS.pnl, { width: 640 }).scales.y).toBeUndefined()
    expect(options.series).toHaveLength(7)
    expect(options.series[3]).toEqual({ label: 'base lower', stroke: '#2ca02c', dash: [4, 4] })
  })

  it('loads uPlot from node_modules, once', () => {
    const assets = loadChartAssets()
    expect(assets.library).toMatch(/^uPlot \d+\.\d+\.\d+$/)
    expect(assets.js).toContain('uPlot')
    expect(assets.css).toContain('.uplot')
    expect(loadChartAssets()).toBe(assets)
  })
})

describe('in headless Chromium', () => {
  it('draws the three charts from series arrays and appends points live, offline', async () => {
    const assets = loadChartAssets()
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>${assets.css}</style></head><body>
<div id="price"></div><div id="pnl"></div><div id="flat"></div>
<script>${assets.js}</script><script>${chartsBrowserScript()}</script></body></html>`
    const userDataDir = mkdtempSync(join(tmpdir(), 'alp-chromium-'))
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 900, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    try {
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      const requests: string[] = []
      page.on('request', (r) => {
        if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url())
      })
      await page.setContent(html)
      const result = await page.evaluate(async () => {
        const document = (
          globalThis as unknown as {
            document: { getElementById(id: string): unknown; querySelectorAll(s: string): { length: number } }
          }
        ).document
        type Handle = {
          plot: { data: number[][] }
          append(ms: number, values: (number | null)[]): void
          length(): number
        }
        const charts = (
          globalThis as unknown as {
            AlpCharts: { create(...args: unknown[]): Handle }
          }
        ).AlpCharts
        const t0 = Date.UTC(2026, 0, 1)
        const price = charts.create(
          'price',
          document.getElementById('price'),
          [t0, t0 + 1000],
          [
            [2680, 2681],
            [2679, 2682],
            [2600, 2600],
            [2760, 2760],
            [null, null],
            [null, null],
          ],
          { width: 800, maxPoints: 3 },
        )
        price.append(t0 + 2000, [2683, 2684, 2600, 2760, null, null])
        price.append(t0 + 3000, [2690, 2689, 2610, 2770, null, null])
        const pnl = charts.create('pnl', document.getElementById('pnl'), [], [[], [], [], [], []], { width: 800 })
        pnl.append(t0, [1, -0.5, 0.2, -0.1, 0.6])
        // A flat price: the axis stays around it (not stretched to 0).
        const flat = charts.create(
          'price',
          document.getElementById('flat'),
          [t0, t0 + 1000],
          [
            [2680, 2680],
            [2680, 2680],
            [null, null],
            [null, null],
            [null, null],
            [null, null],
          ],
          { width: 400 },
        ) as unknown as Handle & { plot: { scales: { y: { min: number; max: number } } } }
        await new Promise((resolve) =>
          (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() =>
            resolve(null),
          ),
        )
        const flatRange = [flat.plot.scales.y.min, flat.plot.scales.y.max]
        let refused = ''
        try {
          pnl.append(t0, [1])
        } catch (error) {
          refused = String(error)
        }
        return {
          priceLength: price.length(),
          priceX: price.plot.data[0],
          pool: price.plot.data[1],
          pnlLength: pnl.length(),
          refused,
          flatRange,
          canvases: document.querySelectorAll('canvas').length,
        }
      })
      expect(errors).toEqual([])
      expect(requests).toEqual([])
      // maxPoints 3: the first sample went when the fourth came.
      expect(result.priceLength).toBe(3)
      expect(result.priceX).toEqual([
        (Date.UTC(2026, 0, 1) + 1000) / 1000,
        (Date.UTC(2026, 0, 1) + 2000) / 1000,
        (Date.UTC(2026, 0, 1) + 3000) / 1000,
      ])
      expect(result.pool).toEqual([2681, 2683, 2690])
      expect(result.pnlLength).toBe(1)
      expect(result.refused).toContain('pnl takes 5 values')
      expect(result.canvases).toBe(3)
      expect(result.flatRange[0]).toBeGreaterThan(2670)
      expect(result.flatRange[1]).toBeLessThan(2690)
      const painted = await page.$$eval('canvas', (cs) =>
        (
          cs as unknown as {
            width: number
            height: number
            getContext(kind: '2d'): {
              getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
            }
          }[]
        ).map((c) => {
          const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
          let n = 0
          for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) n++
          return n
        }),
      )
      expect(painted[0]).toBeGreaterThan(500)
      if (process.env.ALP_CHARTS_SCREENSHOT) await page.screenshot({ path: process.env.ALP_CHARTS_SCREENSHOT })
    } finally {
      await browser.close()
      rmSync(userDataDir, { recursive: true, force: true })
    }
  }, 60_000)
})
