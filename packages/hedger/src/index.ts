// @alp/hedger: named, tree-shakable exports only. See README.md for the module map and docs/hedger.md for the strategy.

export { bindVenueConnector, type VenueConnectorSpec } from './adapters/bindVenueConnector.js'
export {
  bboToEvent,
  bookToEvent,
  fillToEvent,
  orderToEvent,
  positionToEvent,
  tradeToEvent,
} from './adapters/convertVenueMessages.js'
export {
  type CreateGrvtOrderIdTranslatorOptions,
  createGrvtOrderIdTranslator,
  type GrvtOrderIdTranslator,
} from './adapters/createGrvtOrderIdTranslator.js'
export {
  type CreateInverseOrderSizeTranslatorOptions,
  createInverseOrderSizeTranslator,
  type InverseOrderSizeTranslator,
} from './adapters/createInverseOrderSizeTranslator.js'
export {
  type CreateLiveRunnerParameters,
  createLiveRunner,
  type InventorySource,
  type LivePrivateStream,
  type LiveRunner,
  type LiveRunnerClock,
  type LiveVenueBinding,
  type StopReport,
  systemRunnerClock,
} from './adapters/createLiveRunner.js'
export { inventoryUpdateToEvent } from './adapters/inventoryUpdateToEvent.js'
export { toPriceTicks, toSizeLots } from './adapters/toGridUnits.js'
export { fromSeedParameters, type SeedParameters } from './config/fromSeedParameters.js'
export {
  type HedgerConfig,
  type HedgerConfigInput,
  hedgerConfigSchema,
  type VenueConfig,
  venueConfigSchema,
} from './config/hedgerConfigSchema.js'
export {
  type ParseHedgerConfigErrorType,
  parseHedgerConfig,
  type ResolvedHedgerConfig,
  type ResolvedVenueConfig,
} from './config/parseHedgerConfig.js'
export { computeNetExposure, referencePrice } from './core/computeNetExposure.js'
export { type CreateHedgerErrorType, createHedger } from './core/createHedger.js'
export { type CreateHedgerStateOptions, createHedgerState } from './core/createHedgerState.js'
export { type PositionBounds, positionBounds } from './core/positionBounds.js'
export { type StepResult, step } from './core/step.js'
export type {
  BasisMonitor,
  BboTicks,
  CancelSweep,
  HedgerState,
  NetExposure,
  QuoteLevel,
  VenueQuote,
  VenueState,
  WorkingOrder,
} from './core/types.js'
export {
  CommandFailedError,
  type CommandFailedErrorType,
  StopNotConfirmedError,
  type StopNotConfirmedErrorType,
  VenueBindingError,
  type VenueBindingErrorType,
  VenueDataError,
  type VenueDataErrorType,
} from './errors/adapter.js'
export { HedgerError, type HedgerErrorParameters, type HedgerErrorType } from './errors/base.js'
export { InvalidConfigError, type InvalidConfigErrorType } from './errors/config.js'
export { InvalidMessageError, type InvalidMessageErrorType } from './errors/message.js'
export * from './messages/index.js'
export { computeDesiredQuotes, venueBlockReason } from './quote/computeDesiredQuotes.js'
export { computeModelDepths, type ModelDepths } from './quote/computeModelDepths.js'
export { type SnapQuotePricesParameters, snapQuotePrices } from './quote/snapQuotePrices.js'
export { checkLimits } from './risk/checkLimits.js'
export { pearson, sampleBasis } from './risk/sampleBasis.js'
export { suggestRangeHalfWidth } from './risk/suggestRangeHalfWidth.js'
export {
  type DecimalStep,
  formatGridUnits,
  parseDecimalString,
  parseGridUnits,
  toDecimalStep,
} from './venue/decimalTicks.js'
export { divideRoundHalfAway } from './venue/divideRoundHalfAway.js'
export { isSameDecimal } from './venue/isSameDecimal.js'
export {
  type QuoteContractsToBaseLotsParameters,
  quoteContractsToBaseLots,
} from './venue/quoteContractsToBaseLots.js'
export { roundGridUnits } from './venue/roundGridUnits.js'
export { sizeBaseToInverseContracts } from './venue/sizeBaseToInverseContracts.js'
