import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/** uPlot as text, to inline into a page: its script, its stylesheet, and `uPlot <version>` for the page's credits. */
export type ChartAssets = { readonly js: string; readonly css: string; readonly library: string }

/**
 * Reads uPlot (MIT, leeoniya/uPlot) from node_modules, to inline it into a self-contained page (the backtest report, the
 * dashboard): the page needs no network and no files beside it. Read once per process and cached.
 */
export function loadChartAssets(): ChartAssets {
  if (cached !== null) return cached
  const require = createRequire(import.meta.url)
  const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8')
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')
  const { version } = JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version: string }
  cached = { js, css, library: `uPlot ${version}` }
  return cached
}

let cached: ChartAssets | null = null
