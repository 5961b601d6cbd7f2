export {
  type AccountState,
  type AssetBalance,
  applyPerpFill,
  entryPriceE8,
  notionalAtPriceE8,
  type PerpPosition,
} from './accountState.js'
export { type BookLevel, BookSide, levelLots } from './BookSide.js'
export { AMOUNT_DECIMALS, createInstrument } from './createInstrument.js'
export {
  type CreateMarketDriverErrorType,
  type CreateMarketDriverParameters,
  createMarketDriver,
  type KlinesMarketConfig,
  type MarketConfig,
  type ReplayMarketConfig,
  type SimulatedMarketConfig,
} from './createMarketDriver.js'
export { divRound } from './divRound.js'
export { formatScaled } from './formatScaled.js'
export {
  KLINE_PRINT_OFFSETS_MS,
  type KlineBar,
  KlinesMarket,
  type KlinesMarketOptions,
  readKlinesCsv,
} from './KlinesMarket.js'
export type { MarketDriver } from './MarketDriver.js'
export type { MarketTimeline } from './MarketTimeline.js'
export {
  type MarginSummary,
  MatchingEngine,
  type MatchingEngineOptions,
  marginAssetOf,
  type PositionView,
} from './MatchingEngine.js'
export { createInstrumentUnits, type InstrumentUnits, type MarketSizeUnits } from './marketUnits.js'
export { countDecimals, parseScaled } from './parseScaled.js'
export { ReplayMarket, type ReplayMarketOptions } from './ReplayMarket.js'
export { SimulatedMarket, type SimulatedMarketOptions } from './SimulatedMarket.js'
export type * from './types.js'
