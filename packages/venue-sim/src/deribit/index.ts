export {
  EngineHistory,
  type EngineHistoryOptions,
  type HistoryCandle,
  type RecordedFill,
  type RecordedTrade,
} from '../internal/EngineHistory.js'
export {
  type DeribitAccountConfig,
  DeribitConnection,
  type DeribitCreditLimits,
  DeribitEmulator,
  type DeribitEmulatorOptions,
  type DeribitInstrumentConfig,
  type DeribitMarketConfig,
  type DeribitTransport,
} from './DeribitEmulator.js'
export {
  averagePrice,
  type DeribitOrderMeta,
  formatDeribitAccountSummary,
  formatDeribitOrder,
  formatDeribitPosition,
  formatDeribitUserTrade,
  formatOrderId,
  parseOrderId,
} from './formatDeribit.js'
export {
  formatDeribitInversePosition,
  type InverseMarginsE8,
} from './formatDeribitInversePosition.js'
export {
  COIN_DECIMALS,
  type InverseFillResult,
  InverseLedger,
  type InversePosition,
  inverseEntryPriceE8,
  inverseUnrealizedE8,
  usdToCoinE8,
} from './InverseLedger.js'
export {
  type RunningDeribitEmulator,
  type StartDeribitEmulatorOptions,
  startDeribitEmulator,
} from './startDeribitEmulator.js'
export {
  type DeribitInverseTerms,
  INVERSE_QUOTE_ASSET,
  toDeribitInstrumentSpec,
} from './toDeribitInstrumentSpec.js'
export { verifyDeribitSignature } from './verifyDeribitSignature.js'
