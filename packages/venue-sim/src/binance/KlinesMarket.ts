import { KlinesMarket, type KlinesMarketOptions } from '../matching/KlinesMarket.js'

export { KlinesMarket, type KlinesMarketOptions } from '../matching/KlinesMarket.js'

/**
 * @deprecated The klines driver is venue-agnostic now: use `KlinesMarket` (`@alp/venue-sim/matching`) or an emulator's
 * `market: { kind: 'klines', … }` option. Kept as an alias until the next major.
 */
export function createKlinesMarket(options: KlinesMarketOptions): KlinesMarket {
  return new KlinesMarket(options)
}
