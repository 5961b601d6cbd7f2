/**
 * Events IN: everything the hedger core reacts to. Plain data: integers (price ticks, size lots), decimal strings,
 * and one `bigint` per message (`tsNs`, UNIX nanoseconds) that the JSON codec (`encodeHedgerMessage`) carries as a
 * decimal string. Prices are integer multiples of the venue's tick size, sizes integer multiples of its step size.
 * The full catalogue with units lives in docs/hedger.md ("Message catalogue").
 */

/** Order side. `buy` adds base inventory, `sell` removes it. */
export type Side = 'buy' | 'sell'

/** One book level on the venue grid: `[priceTicks, sizeLots]`. */
export type BookLevelTicks = readonly [priceTicks: number, sizeLots: number]

/** Best bid and offer of one venue. */
export type BboEvent = {
  readonly type: 'bbo'
  readonly tsNs: bigint
  readonly venue: string
  readonly bidPriceTicks: number
  readonly bidSizeLots: number
  readonly askPriceTicks: number
  readonly askSizeLots: number
}

/** Top levels of one venue's L2 book, best first (used for size control from visible depth; the touch also feeds the BBO). */
export type BookEvent = {
  readonly type: 'book'
  readonly tsNs: bigint
  readonly venue: string
  readonly bids: readonly BookLevelTicks[]
  readonly asks: readonly BookLevelTicks[]
}

/** A public trade on one venue; `aggressorSide` is the taker's side. */
export type TradeEvent = {
  readonly type: 'trade'
  readonly tsNs: bigint
  readonly venue: string
  readonly priceTicks: number
  readonly sizeLots: number
  readonly aggressorSide: Side
}

/**
 * LP inventory from `@alp/uniswap-lp`: base-token holdings of the LP position(s) and the target the LP wants to hold,
 * both in base units as decimal strings, and the pool price (quote per base, decimal string).
 */
export type LpInventoryEvent = {
  readonly type: 'lpInventory'
  readonly tsNs: bigint
  readonly baseHeldBase: string
  readonly baseTargetBase: string
  readonly poolPrice: string
}

/** Order states the venue reports (the venue's word beats our belief). */
export type VenueOrderStatus = 'new' | 'partiallyFilled' | 'filled' | 'canceled' | 'expired' | 'rejected'

/** A private-stream order update. `sizeLots` is the original size, `filledLots` the cumulative fill. */
export type OrderUpdateEvent = {
  readonly type: 'orderUpdate'
  readonly tsNs: bigint
  readonly venue: string
  readonly clientOrderId: string
  readonly side: Side
  readonly priceTicks: number
  readonly sizeLots: number
  readonly filledLots: number
  readonly status: VenueOrderStatus
  /**
   * True when the update comes from a REST snapshot of open orders (the venue's current state): it settles an
   * unconfirmed amend. A stream update that does not match an unconfirmed amend may predate it and does not.
   */
  readonly snapshot?: boolean | undefined
  /**
   * The venue's time of this update, ms: a fill it reports (cumulative `filledLots` up) is inside a position report at or
   * after it. Without it, inside the next position report.
   */
  readonly venueTimeMs?: number | undefined
}

/** A fill of one of our orders (or of an order we did not know about: it still moves the position). */
export type FillEvent = {
  readonly type: 'fill'
  readonly tsNs: bigint
  readonly venue: string
  readonly clientOrderId: string
  readonly tradeId: string
  readonly side: Side
  readonly priceTicks: number
  readonly sizeLots: number
  /** Fee paid in quote units (negative = rebate), decimal string. */
  readonly feeQuote: string
  /**
   * The venue's time of the trade, ms. A position report with a venue time at or after it already includes this fill,
   * so the fill is not added again. Without it the fill always counts on top of the last report.
   */
  readonly venueTimeMs?: number | undefined
}

/** The venue's net position in lots (signed: > 0 long). Authoritative: it replaces the position we computed from fills. */
export type PositionEvent = {
  readonly type: 'position'
  readonly tsNs: bigint
  readonly venue: string
  readonly sizeLots: number
  /**
   * The venue's time of the last change included in this report, ms. Fills up to it are inside the report; later ones
   * are added on top; an older report than the last one applied is ignored. Without it the report covers every fill
   * received so far.
   */
  readonly venueTimeMs?: number | undefined
}

/** One open order as a venue snapshot lists it. */
export type OpenOrderSnapshot = {
  readonly clientOrderId: string
  readonly side: Side
  readonly priceTicks: number
  readonly sizeLots: number
  readonly filledLots: number
  /** The venue's time of the order's last change, ms (see OrderUpdateEvent.venueTimeMs). */
  readonly venueTimeMs?: number | undefined
}

/**
 * The venue's complete list of our open orders on the hedged instrument, read by a query that started at
 * `requestedNs` (core clock). Orders we sent a command for at or after `requestedNs` are not judged by it.
 */
export type OpenOrdersEvent = {
  readonly type: 'openOrders'
  readonly tsNs: bigint
  readonly venue: string
  readonly requestedNs: bigint
  readonly orders: readonly OpenOrderSnapshot[]
}

/** A lookup by client id that started at `requestedNs` found no such order on the venue (definitive). */
export type OrderAbsentEvent = {
  readonly type: 'orderAbsent'
  readonly tsNs: bigint
  readonly venue: string
  readonly clientOrderId: string
  readonly requestedNs: bigint
}

/**
 * A command for one order failed. `outcome`: `rejected` = the venue definitely did not apply it; `notFound` = the venue
 * has no such open order (it is final); `unknown` = no definite answer (the order is then looked up / reconciled).
 */
export type CommandFailedEvent = {
  readonly type: 'commandFailed'
  readonly tsNs: bigint
  readonly venue: string
  readonly command: 'placeOrder' | 'amendOrder' | 'cancelOrder' | 'cancelAll'
  /** Empty for cancelAll. */
  readonly clientOrderId: string
  readonly outcome: 'rejected' | 'notFound' | 'unknown'
}

/** Available balance of one asset on a venue, decimal string (recorded; not used for sizing yet). */
export type BalanceEvent = {
  readonly type: 'balance'
  readonly tsNs: bigint
  readonly venue: string
  readonly asset: string
  readonly available: string
}

/**
 * Connection health of a venue: `disconnected` (no private or public stream), `feedGap` (sequence gap: the book is
 * being rebuilt), `connected` / `resynced` (usable again).
 */
export type VenueHealthEvent = {
  readonly type: 'venueHealth'
  readonly tsNs: bigint
  readonly venue: string
  readonly status: 'connected' | 'disconnected' | 'feedGap' | 'resynced'
}

/** Clock tick from the runner (live: a timer; backtest: the simulated clock). Drives staleness, keep-alives, sampling. */
export type TimerEvent = {
  readonly type: 'timer'
  readonly tsNs: bigint
}

/** Operator command: `kill` latches the global kill switch; `resume` clears it when no limit is breached. */
export type OperatorEvent = {
  readonly type: 'operator'
  readonly tsNs: bigint
  readonly action: 'kill' | 'resume'
  readonly reason: string
}

/** Every event the core accepts. */
export type HedgerEvent =
  | BboEvent
  | BookEvent
  | TradeEvent
  | LpInventoryEvent
  | OrderUpdateEvent
  | FillEvent
  | PositionEvent
  | OpenOrdersEvent
  | OrderAbsentEvent
  | CommandFailedEvent
  | BalanceEvent
  | VenueHealthEvent
  | TimerEvent
  | OperatorEvent
