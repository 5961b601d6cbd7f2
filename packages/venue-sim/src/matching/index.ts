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
export { divRound } from './divRound.js'
export { formatScaled } from './formatScaled.js'
export {
  type MarginSummary,
  MatchingEngine,
  type MatchingEngineOptions,
  marginAssetOf,
  type PositionView,
} from './MatchingEngine.js'
export { countDecimals, parseScaled } from './parseScaled.js'
export type * from './types.js'
