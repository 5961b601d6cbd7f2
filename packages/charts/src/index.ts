export { buildChartData, type ChartData } from './buildChartData.js'
export { buildChartOptions, type ChartOptions, type ChartSize } from './buildChartOptions.js'
export {
  CHART_DEFINITIONS,
  type ChartDefinition,
  type ChartKind,
  type ChartSeriesDefinition,
} from './chartDefinitions.js'
export { chartsBrowserScript } from './chartsBrowserScript.js'
export { type ChartAssets, loadChartAssets } from './loadChartAssets.js'
