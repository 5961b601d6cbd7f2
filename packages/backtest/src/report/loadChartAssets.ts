// The chart library is @alp/charts (shared with the runtime's dashboard): uPlot read from node_modules, inlined.
export { type ChartAssets, loadChartAssets } from '@alp/charts'
