/** Best bid and offer. Prices/sizes are exact decimal strings; `updateId` is the venue's book sequence number. */
export type Bbo = {
  readonly venue: string
  readonly symbol: string
  readonly bidPrice: string
  readonly bidSizeBase: string
  readonly askPrice: string
  readonly askSizeBase: string
  readonly updateId: number
  readonly tsExchangeMs: number
  /** Local monotonic receive time of the frame (0n when not received from a socket). */
  readonly tsLocalNs: bigint
  readonly raw: unknown
}

/** A public trade. `side` is the aggressor (taker) side. */
export type Trade = {
  readonly venue: string
  readonly symbol: string
  readonly tradeId: string
  readonly price: string
  readonly sizeBase: string
  readonly side: 'buy' | 'sell'
  readonly tsExchangeMs: number
  /** Local monotonic receive time of the frame (0n when not received from a socket). */
  readonly tsLocalNs: bigint
  readonly raw: unknown
}

/** One price level: `[priceTicks, sizeLots]` integers on the instrument grid. */
export type BookLevel = readonly [priceTicks: number, sizeLots: number]

/** A published L2 book view (top `depth` levels each side, best first). */
export type OrderBookView = {
  readonly venue: string
  readonly symbol: string
  readonly updateId: number
  readonly tsExchangeMs: number
  readonly bids: readonly BookLevel[]
  readonly asks: readonly BookLevel[]
}
