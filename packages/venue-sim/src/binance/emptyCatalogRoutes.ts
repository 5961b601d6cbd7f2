import type { Route } from './routeTypes.js'

/**
 * Catalogs of Binance products the emulator does not trade (COIN-M futures, margin), answered as empty lists so a client's default
 * market loading succeeds: ccxt's `binance` (spot) `loadMarkets()` calls `/dapi/v1/exchangeInfo` and, with API keys, the two
 * margin pair lists. No symbol is invented: COIN-M has no contracts here and no pair can be traded on margin.
 */
export function emptyCatalogRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/dapi/v1/exchangeInfo',
      security: 'NONE',
      weight: () => 1,
      handler: (ctx) => ({
        timezone: 'UTC',
        serverTime: ctx.requestNowMs,
        rateLimits: [],
        exchangeFilters: [],
        symbols: [],
      }),
    },
    // MARKET_DATA on Binance: API key, no signature needed.
    { method: 'GET', path: '/sapi/v1/margin/allPairs', security: 'USER_STREAM', weight: () => 1, handler: () => [] },
    {
      method: 'GET',
      path: '/sapi/v1/margin/isolated/allPairs',
      security: 'SIGNED',
      weight: () => 10,
      handler: () => [],
    },
  ]
}
