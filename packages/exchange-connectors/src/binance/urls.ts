/** Binance product this connector speaks to. */
export type BinanceProduct = 'usdm' | 'spot'

/** Every base URL a Binance connector needs. WebSocket bases have no trailing slash. */
export type BinanceUrls = {
  readonly restUrl: string
  /** USDⓈ-M: high-frequency streams (`@depth`, `@bookTicker`): `…/public`. Spot: the stream host. */
  readonly wsPublicUrl: string
  /** USDⓈ-M: other market streams (`@aggTrade`, mark price…): `…/market`. Spot: same as public. */
  readonly wsMarketUrl: string
  /** USDⓈ-M user data: `…/private` (append `/ws?listenKey=`). */
  readonly wsPrivateUrl: string
  /** WebSocket API (order entry; spot user-data subscription). */
  readonly wsApiUrl: string
}

/** USDⓈ-M production (the legacy `wss://fstream.binance.com/ws` was retired 2026-04-23; streams are split). */
export const BINANCE_USDM_MAINNET: BinanceUrls = {
  restUrl: 'https://fapi.binance.com',
  wsPublicUrl: 'wss://fstream.binance.com/public',
  wsMarketUrl: 'wss://fstream.binance.com/market',
  wsPrivateUrl: 'wss://fstream.binance.com/private',
  wsApiUrl: 'wss://ws-fapi.binance.com/ws-fapi/v1',
}

/** USDⓈ-M testnet. */
export const BINANCE_USDM_TESTNET: BinanceUrls = {
  restUrl: 'https://testnet.binancefuture.com',
  wsPublicUrl: 'wss://fstream.binancefuture.com/public',
  wsMarketUrl: 'wss://fstream.binancefuture.com/market',
  wsPrivateUrl: 'wss://fstream.binancefuture.com/private',
  wsApiUrl: 'wss://testnet.binancefuture.com/ws-fapi/v1',
}

/** Spot production. */
export const BINANCE_SPOT_MAINNET: BinanceUrls = {
  restUrl: 'https://api.binance.com',
  wsPublicUrl: 'wss://stream.binance.com:9443',
  wsMarketUrl: 'wss://stream.binance.com:9443',
  wsPrivateUrl: 'wss://stream.binance.com:9443',
  wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3',
}

/**
 * URLs for a server that serves every path under one REST base and one WebSocket base (the `@alp/venue-sim`
 * emulator, a proxy). USDⓈ-M gets the split `/public`, `/market`, `/private` prefixes; spot streams sit at the root.
 */
export function binanceUrlsFromBases(product: BinanceProduct, restUrl: string, wsUrl: string): BinanceUrls {
  if (product === 'usdm')
    return {
      restUrl,
      wsPublicUrl: `${wsUrl}/public`,
      wsMarketUrl: `${wsUrl}/market`,
      wsPrivateUrl: `${wsUrl}/private`,
      wsApiUrl: `${wsUrl}/ws-fapi/v1`,
    }
  return { restUrl, wsPublicUrl: wsUrl, wsMarketUrl: wsUrl, wsPrivateUrl: wsUrl, wsApiUrl: `${wsUrl}/ws-api/v3` }
}

/** REST paths per product. */
export const BINANCE_PATHS = {
  usdm: {
    time: '/fapi/v1/time',
    exchangeInfo: '/fapi/v1/exchangeInfo',
    depth: '/fapi/v1/depth',
    order: '/fapi/v1/order',
    batchOrders: '/fapi/v1/batchOrders',
    openOrders: '/fapi/v1/openOrders',
    allOpenOrders: '/fapi/v1/allOpenOrders',
    countdownCancelAll: '/fapi/v1/countdownCancelAll',
    positionRisk: '/fapi/v3/positionRisk',
    balance: '/fapi/v3/balance',
    account: '/fapi/v3/account',
    listenKey: '/fapi/v1/listenKey',
  },
  spot: {
    time: '/api/v3/time',
    exchangeInfo: '/api/v3/exchangeInfo',
    depth: '/api/v3/depth',
    order: '/api/v3/order',
    openOrders: '/api/v3/openOrders',
    cancelReplace: '/api/v3/order/cancelReplace',
    account: '/api/v3/account',
  },
} as const
