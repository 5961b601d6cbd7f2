export { type ChartAssets, loadChartAssets } from './loadChartAssets.js'
export { renderReportHtml } from './renderReportHtml.js'
export { type BacktestResults, RESULTS_SCHEMA_VERSION, type ResultSeries } from './resultsTypes.js'
export { writeResults } from './writeResults.js'
