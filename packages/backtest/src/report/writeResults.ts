import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadChartAssets } from './loadChartAssets.js'
import { renderReportHtml } from './renderReportHtml.js'
import type { BacktestResults } from './resultsTypes.js'

/** Writes `backtest_results.json` and `report.html` into `outDir`; returns both paths. */
export async function writeResults(
  results: BacktestResults,
  outDir: string,
): Promise<{ resultsPath: string; reportPath: string }> {
  await mkdir(outDir, { recursive: true })
  const resultsPath = join(outDir, 'backtest_results.json')
  const reportPath = join(outDir, 'report.html')
  await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`)
  await writeFile(reportPath, renderReportHtml(results, loadChartAssets()))
  return { resultsPath, reportPath }
}
