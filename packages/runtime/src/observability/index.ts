export { type CreateLoggerParameters, createLogger, REDACT_PATHS, REDACTED } from './createLogger.js'
export { createMetrics, type RuntimeMetrics } from './metrics.js'
export {
  type RunningMetricsServer,
  type StartMetricsServerParameters,
  startMetricsServer,
} from './startMetricsServer.js'
