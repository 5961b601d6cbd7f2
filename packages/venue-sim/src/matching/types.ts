/** Shared types of the venue-independent matching engine. Prices are integer ticks, sizes integer lots, money `amountE8` (10^-8 units). */

export type Side = 'BUY' | 'SELL'
export type OrderType = 'LIMIT' | 'MARKET'
/** GTX = post-only (good-till-crossing): rejected if any part would take. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX'
/** EXPIRED_IN_MATCH: expired by self-trade prevention. */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH'
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'AMENDMENT'
export type InstrumentKind = 'perp' | 'spot'

/** Injected clock: the engine never reads wall time itself. */
export type Clock = { nowMs(): number }

/** Injected id source (deterministic counters in tests). */
export type IdSource = { nextOrderId(): number; nextTradeId(): number }

export type InstrumentSpec = {
  symbol: string
  kind: InstrumentKind
  baseAsset: string
  quoteAsset: string
  /** Tick size as a decimal string, e.g. "0.01". */
  tickSize: string
  /** Lot (step) size as a decimal string, e.g. "0.001". */
  stepSize: string
  minQty: string
  maxQty: string
  /** Minimum order notional in quote units, e.g. "20". */
  minNotional: string
  /** Maker / taker fee in parts per million of notional (200 = 0.02 %). Negative = rebate. */
  makerFeePpm: number
  takerFeePpm: number
  /** Perps only: initial leverage (cross margin). */
  leverage?: number | undefined
  /** Perps only: maintenance margin rate in ppm of notional (5000 = 0.5 %). */
  maintMarginRatePpm?: number | undefined
}

export type Instrument = InstrumentSpec & {
  priceDecimals: number
  qtyDecimals: number
  /** Tick size in 10^-priceDecimals units. */
  tickUnits: bigint
  /** Step size in 10^-qtyDecimals units. */
  stepUnits: bigint
  minQtyLots: bigint
  maxQtyLots: bigint
  minNotionalE8: bigint
  /** notionalE8 = priceTicks * lots * notionalFactor. */
  notionalFactor: bigint
  leverage: number
  maintMarginRatePpm: number
}

export type EngineOrder = {
  orderId: number
  clientOrderId: string
  accountId: string
  symbol: string
  side: Side
  type: OrderType
  timeInForce: TimeInForce
  /** Null for MARKET orders. */
  priceTicks: bigint | null
  origLots: bigint
  executedLots: bigint
  cumQuoteE8: bigint
  status: OrderStatus
  reduceOnly: boolean
  createdTsMs: number
  updatedTsMs: number
  /** External (non-account) size ahead of this order at its level; advanced by external trades (risk-averse queue). */
  queueAheadLots: bigint
  /** Time priority within a level: lower is earlier. */
  prioritySeq: number
}

export type Fill = {
  tradeId: number
  lots: bigint
  priceTicks: bigint
  isMaker: boolean
  feeE8: bigint
  feeAsset: string
  /** Perps: realized PnL of this fill, before fees. Spot: 0. */
  realizedPnlE8: bigint
}

export type OrderEvent = {
  kind: 'order'
  seq: number
  tsMs: number
  execType: ExecutionType
  order: Readonly<EngineOrder>
  fill: Fill | null
}

export type TradeEvent = {
  kind: 'trade'
  seq: number
  tsMs: number
  symbol: string
  tradeId: number
  priceTicks: bigint
  lots: bigint
  takerSide: Side
  /** True when the print came from the external market driver rather than an account order. */
  external: boolean
}

export type AccountEvent = {
  kind: 'account'
  seq: number
  tsMs: number
  accountId: string
  reason: 'ORDER' | 'DEPOSIT' | 'FUNDING_FEE' | 'ADJUSTMENT'
  assets: string[]
  symbols: string[]
}

export type BookDeltaEvent = {
  kind: 'bookDelta'
  seq: number
  tsMs: number
  symbol: string
  /** First book update id in this event (Binance `U`). */
  firstUpdateId: number
  /** Last book update id in this event (Binance `u`). */
  lastUpdateId: number
  /** `lastUpdateId` of the previous event of this symbol (Binance `pu`). */
  prevLastUpdateId: number
  bids: Array<[bigint, bigint]>
  asks: Array<[bigint, bigint]>
}

export type RejectEvent = {
  kind: 'reject'
  seq: number
  tsMs: number
  accountId: string
  symbol: string
  reason: RejectReason
}

export type EngineEvent = OrderEvent | TradeEvent | AccountEvent | BookDeltaEvent | RejectEvent

export type RejectReason =
  | 'POST_ONLY_WOULD_TAKE'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  | 'QTY_BELOW_MIN'
  | 'QTY_ABOVE_MAX'
  | 'NOTIONAL_BELOW_MIN'
  | 'INSUFFICIENT_MARGIN'
  | 'INSUFFICIENT_BALANCE'
  | 'REDUCE_ONLY_REJECTED'
  | 'UNKNOWN_ORDER'
  | 'NO_CHANGE'
  | 'INVALID_QUANTITY'

export type PlaceOrderInput = {
  accountId: string
  symbol: string
  side: Side
  type: OrderType
  timeInForce: TimeInForce
  priceTicks: bigint | null
  lots: bigint
  clientOrderId: string
  reduceOnly?: boolean | undefined
}

export type PlaceOrderResult =
  | { ok: true; order: Readonly<EngineOrder>; fills: Fill[] }
  | { ok: false; reason: RejectReason }

export type CancelOrderResult = { ok: true; order: Readonly<EngineOrder> } | { ok: false; reason: 'UNKNOWN_ORDER' }

export type AmendOrderResult =
  | { ok: true; order: Readonly<EngineOrder>; fills: Fill[] }
  | { ok: false; reason: RejectReason }
