export { constantLatency } from './constantLatency.js'
export { interpolatedLatency, type LatencySample } from './interpolatedLatency.js'
export type { LatencyModel } from './types.js'
