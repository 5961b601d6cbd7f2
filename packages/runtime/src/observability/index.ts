export { type CreateLoggerParameters, createLogger, REDACT_PATHS, REDACTED } from './createLogger.js'
export {
  createTraderObserver,
  type HaltRecord,
  type HedgeFigures,
  type TraderObserver,
} from './createTraderObserver.js'
export { createMetrics, type RuntimeMetrics } from './metrics.js'
export { type FeedLagSource, observeFeedLag } from './observeFeedLag.js'
export {
  type RunningMetricsServer,
  type StartMetricsServerParameters,
  startMetricsServer,
} from './startMetricsServer.js'
