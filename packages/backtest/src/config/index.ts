export { loadRunConfig } from './loadRunConfig.js'
export { type ResolvedModels, resolveModels } from './resolveModels.js'
export type { RunConfig } from './runConfig.js'
