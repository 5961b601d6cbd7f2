/**
 * @deprecated The capture replay is venue-agnostic now: use `ReplayMarket` (`@alp/venue-sim/matching`) or an emulator's
 * `market: { kind: 'replay', … }` option. These aliases go in the next major.
 */
export {
  ReplayMarket as BinanceReplayMarket,
  type ReplayMarketOptions as BinanceReplayOptions,
} from '../matching/ReplayMarket.js'
