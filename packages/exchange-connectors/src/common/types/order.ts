/** Order side. */
export type OrderSide = 'buy' | 'sell'

/**
 * Order lifecycle. `pendingNew` is local (sent, no answer yet); `unknown` means the create got no definite answer
 * and must be reconciled; `pendingCancel` is local (cancel sent). Final states: filled, canceled, expired, rejected.
 */
export type OrderState =
  | 'pendingNew'
  | 'unknown'
  | 'new'
  | 'partiallyFilled'
  | 'pendingCancel'
  | 'filled'
  | 'canceled'
  | 'expired'
  | 'rejected'

/** Time in force after normalisation: `postOnly` is futures GTX / spot LIMIT_MAKER. */
export type TimeInForce = 'gtc' | 'ioc' | 'fok' | 'postOnly'

/** A normalised order. Prices and sizes are exact decimal strings. */
export type Order = {
  readonly venue: string
  readonly symbol: string
  /** Venue order id (decimal string; Binance ids exceed 2^53 on some products). `undefined` before the venue acks. */
  readonly orderId: string | undefined
  readonly clientOrderId: string
  readonly side: OrderSide
  readonly price: string
  readonly sizeBase: string
  readonly filledSizeBase: string
  readonly avgFillPrice: string
  readonly timeInForce: TimeInForce
  readonly reduceOnly: boolean
  readonly state: OrderState
  readonly tsExchangeMs: number
  /** The venue's payload, for debugging. */
  readonly raw: unknown
}

/** Parameters of a new limit order. */
export type PlaceOrderParameters = {
  readonly symbol: string
  readonly side: OrderSide
  /** Decimal string on the tick grid (use `DecimalGrid.round`). */
  readonly price: string
  /** Decimal string on the step grid. */
  readonly sizeBase: string
  readonly timeInForce: TimeInForce
  /** Caller-chosen id (Binance: `^[.A-Z:/a-z0-9_-]{1,36}$`). Required: it is how unknown outcomes are reconciled. */
  readonly clientOrderId: string
  readonly reduceOnly?: boolean
}

/** Parameters to change price and/or size of a live order (keeps queue priority only where the venue does). */
export type AmendOrderParameters = {
  readonly symbol: string
  readonly clientOrderId: string
  readonly side: OrderSide
  readonly price: string
  readonly sizeBase: string
}
