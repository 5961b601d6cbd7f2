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
  type RunningDeribitEmulator,
  type StartDeribitEmulatorOptions,
  startDeribitEmulator,
} from './startDeribitEmulator.js'
export { verifyDeribitSignature } from './verifyDeribitSignature.js'
