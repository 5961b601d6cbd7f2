import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

export type ChartAssets = { readonly js: string; readonly css: string; readonly library: string }

/**
 * Reads uPlot (MIT, leeoniya/uPlot) from node_modules at report time, to inline it into the self-contained HTML file:
 * the report needs no network and no files beside it.
 */
export function loadChartAssets(): ChartAssets {
  const require = createRequire(import.meta.url)
  const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8')
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')
  const { version } = JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version: string }
  return { js, css, library: `uPlot ${version}` }
}
