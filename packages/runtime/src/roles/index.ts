export { readBinanceFills } from './readBinanceFills.js'
export { readDeribitFills } from './readDeribitFills.js'
export { type GrvtFillAccount, readGrvtFills } from './readGrvtFills.js'
export {
  type LpManagerLike,
  type LpManagerRoleHandle,
  type StartLpManagerRoleParameters,
  startLpManagerRole,
} from './startLpManagerRole.js'
export { type StartPositionServerParameters, startPositionServer } from './startPositionServer.js'
export { type StartQuoteServerParameters, startQuoteServer } from './startQuoteServer.js'
export { type StartTraderParameters, startTrader, type TraderHandle } from './startTrader.js'
export { NO_FILL_HISTORY, type StartTradingEngineParameters, startTradingEngine } from './startTradingEngine.js'
export type { RoleClock, RoleErrorSink, RoleHandle, VenueLink } from './VenueLink.js'
