export { loadGasPriceSeries } from './loadGasPriceSeries.js'
export { loadRunConfig } from './loadRunConfig.js'
export { type GasPriceSeries, type ResolvedModels, resolveModels } from './resolveModels.js'
export type { RunConfig } from './runConfig.js'
