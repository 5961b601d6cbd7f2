/** Error body: `{"code":-2019,"msg":"Margin is insufficient."}`. */
export type ErrorWire = { code: number; msg: string }

/** Order JSON (futures v1 / spot v3 with `newOrderRespType=RESULT`). */
export type OrderWire = {
  orderId: number
  symbol: string
  status: string
  clientOrderId: string
  price: string
  avgPrice?: string
  origQty: string
  executedQty: string
  cummulativeQuoteQty?: string
  timeInForce: string
  type: string
  side: 'BUY' | 'SELL'
  reduceOnly?: boolean
  updateTime?: number
  transactTime?: number
  time?: number
}

/** `GET /fapi/v3/positionRisk` item. */
export type PositionRiskWire = {
  symbol: string
  positionSide: string
  positionAmt: string
  entryPrice: string
  unRealizedProfit: string
  updateTime: number
}

/** `GET /fapi/v3/balance` item. */
export type FuturesBalanceWire = {
  asset: string
  balance: string
  crossWalletBalance: string
  availableBalance: string
  updateTime: number
}

/** Spot `GET /api/v3/account` balance item. */
export type SpotBalanceWire = { asset: string; free: string; locked: string }

/** `exchangeInfo.rateLimits[]`. */
export type RateLimitWire = {
  rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS' | string
  interval: 'SECOND' | 'MINUTE' | 'DAY' | string
  intervalNum: number
  limit: number
}

/** `exchangeInfo.symbols[].filters[]` (the ones this package reads). */
export type SymbolFilterWire = {
  filterType: string
  tickSize?: string
  stepSize?: string
  minQty?: string
  notional?: string
  minNotional?: string
}

/** `exchangeInfo.symbols[]` (futures has `contractType` and `marginAsset`). */
export type SymbolWire = {
  symbol: string
  status: string
  baseAsset: string
  quoteAsset: string
  marginAsset?: string
  contractType?: string
  filters: SymbolFilterWire[]
}

/** `GET /fapi/v1/exchangeInfo`, `GET /api/v3/exchangeInfo`. */
export type ExchangeInfoWire = { serverTime: number; rateLimits: RateLimitWire[]; symbols: SymbolWire[] }
