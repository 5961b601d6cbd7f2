export {
  aggregateKlines,
  isKlineInterval,
  type Kline,
  klineOpenTime,
  nextKlineOpenTime,
  type RollingStats,
  rollingStats,
} from './aggregateKlines.js'
export { attachWsApi, wsApiPayload } from './attachWsApi.js'
export {
  type BinanceAccountConfig,
  BinanceEmulator,
  type BinanceEmulatorOptions,
  type BinanceMarketConfig,
  type BinanceSymbolConfig,
  depthStreamNames,
  type EmulatorAccount,
  streamNames,
} from './BinanceEmulator.js'
export {
  type AccountFill,
  BinanceHistory,
  type BinanceHistoryOptions,
  type FundingRecord,
  type IncomeEntry,
  type TapeTrade,
} from './BinanceHistory.js'
export { BinanceReplayMarket, type BinanceReplayOptions } from './BinanceReplayMarket.js'
export { BINANCE_ERRORS, type BinanceErrorName, binanceReject } from './binanceErrors.js'
export { createRestHandler, type RestHandler } from './createRestHandler.js'
export {
  type DepthDecision,
  type DepthFaults,
  FaultController,
  type FaultSettings,
  type RestFaults,
  type WsFaults,
} from './FaultController.js'
export {
  type BinanceFundingRateConfig,
  type BinanceFundingRateEntry,
  DEFAULT_FUNDING_RATE,
  FUNDING_INTERVAL_MS,
  FundingSchedule,
  fundingTimeAtOrBefore,
} from './FundingSchedule.js'
export { formatExecutionReport } from './formatExecutionReport.js'
export { fundingIncomeE8 } from './fundingIncomeE8.js'
export { createKlinesMarket, type KlinesMarketOptions } from './KlinesMarket.js'
export { type ListenKeyEntry, ListenKeyRegistry } from './ListenKeyRegistry.js'
export { parseFaultKnobs } from './parseFaultKnobs.js'
export { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits, type WeightDecision } from './RateLimiter.js'
export { type StreamConnection, StreamHub, type StreamHubOptions } from './StreamHub.js'
export { SPOT_PREFIX } from './spotPrefix.js'
export {
  type RunningBinanceEmulator,
  type StartBinanceEmulatorOptions,
  startBinanceEmulator,
} from './startBinanceEmulator.js'
export { extractSignedPayload, signPayload, verifySignature } from './verifySignature.js'
