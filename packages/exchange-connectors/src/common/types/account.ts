/** A fill of one of our orders. */
export type Fill = {
  readonly venue: string
  readonly symbol: string
  readonly orderId: string
  readonly clientOrderId: string
  readonly tradeId: string
  readonly side: 'buy' | 'sell'
  readonly price: string
  readonly sizeBase: string
  readonly fee: string
  readonly feeAsset: string
  readonly isMaker: boolean
  readonly tsExchangeMs: number
  readonly raw: unknown
}

/** A net position (one-way mode). `sizeBase` is signed: > 0 long, < 0 short. */
export type Position = {
  readonly venue: string
  readonly symbol: string
  readonly sizeBase: string
  readonly entryPrice: string
  readonly unrealizedPnlQuote: string
  readonly tsExchangeMs: number
  readonly raw: unknown
}

/**
 * A balance. `available` is what new orders may use (Binance futures `availableBalance`), never the cross wallet;
 * `wallet` is the wallet balance (spot: free + locked).
 */
export type Balance = {
  readonly venue: string
  readonly asset: string
  readonly wallet: string
  readonly available: string
  readonly tsExchangeMs: number
  readonly raw: unknown
}
