import type { Side } from './events.js'

/**
 * Commands OUT: what the core asks the adapters to do. Same conventions as the events (integer ticks/lots plus the
 * exact decimal strings the venue wants, `tsNs` as bigint carried as a string by the codec).
 */

/** Place a post-only limit order. `price`/`sizeBase` are the exact decimal strings of `priceTicks`/`sizeLots`. */
export type PlaceOrderCommand = {
  readonly type: 'placeOrder'
  readonly tsNs: bigint
  readonly venue: string
  readonly clientOrderId: string
  readonly side: Side
  readonly priceTicks: number
  readonly sizeLots: number
  readonly price: string
  readonly sizeBase: string
  readonly postOnly: true
}

/** Change price and/or size of a working order. */
export type AmendOrderCommand = {
  readonly type: 'amendOrder'
  readonly tsNs: bigint
  readonly venue: string
  readonly clientOrderId: string
  readonly side: Side
  readonly priceTicks: number
  readonly sizeLots: number
  readonly price: string
  readonly sizeBase: string
}

/** Cancel one order by client order id. */
export type CancelOrderCommand = {
  readonly type: 'cancelOrder'
  readonly tsNs: bigint
  readonly venue: string
  readonly clientOrderId: string
}

/** Cancel every open order of the hedged symbol on a venue. Sent by the kill switch and venue halts; never rate-limited. */
export type CancelAllCommand = {
  readonly type: 'cancelAll'
  readonly tsNs: bigint
  readonly venue: string
  readonly reason: HaltReason
}

/** Arm or refresh the venue's dead-man switch (Binance `countdownCancelAll`): the venue cancels all if not refreshed in time. */
export type ArmDeadManSwitchCommand = {
  readonly type: 'armDeadManSwitch'
  readonly tsNs: bigint
  readonly venue: string
  readonly timeoutMs: number
}

/** Read the venue's open orders of the hedged instrument and answer with an `openOrders` event. */
export type RequestOpenOrdersCommand = {
  readonly type: 'requestOpenOrders'
  readonly tsNs: bigint
  readonly venue: string
}

/**
 * Look an order up by client id (its create got no definite answer): answer with an `orderUpdate` (`snapshot: true`)
 * when the venue knows it, `orderAbsent` when the venue definitely does not.
 */
export type LookupOrderCommand = {
  readonly type: 'lookupOrder'
  readonly tsNs: bigint
  readonly venue: string
  readonly clientOrderId: string
}

/** Why quoting stopped. */
export type HaltReason =
  | 'operatorKill'
  | 'positionLimit'
  | 'notionalLimit'
  | 'totalPositionLimit'
  | 'totalNotionalLimit'
  | 'disconnected'
  | 'staleMarketData'
  | 'feedGap'
  | 'basisBound'
  | 'feedDivergence'
  | 'lpInventoryStale'

/** Quoting stopped, for every venue (`scope: 'all'`, the latched kill switch) or one venue (auto-resumes). */
export type HaltCommand = {
  readonly type: 'halt'
  readonly tsNs: bigint
  readonly scope: string
  readonly reason: HaltReason
}

/** Quoting resumed for a scope. */
export type ResumeCommand = {
  readonly type: 'resume'
  readonly tsNs: bigint
  readonly scope: string
}

/** Advice to the LP side: a range half-width from the observed volatility (wider in high volatility). */
export type SuggestRangeCommand = {
  readonly type: 'suggestRange'
  readonly tsNs: bigint
  /** Suggested half-width of the LP range around the price, basis points of price. */
  readonly halfWidthBps: number
  /** The volatility it came from, log-returns per √second. */
  readonly sigmaLogPerSqrtSec: number
  /** The LP rebalance threshold the hedger was configured with (seed REBALANCE_THRESHOLD), a fraction of value. */
  readonly rebalanceThreshold: number
}

/** A structured log line (no secrets ever: the core holds none). */
export type LogCommand = {
  readonly type: 'log'
  readonly tsNs: bigint
  readonly level: 'info' | 'warn' | 'error'
  readonly code: string
  readonly message: string
}

/** A numeric metric sample. */
export type MetricCommand = {
  readonly type: 'metric'
  readonly tsNs: bigint
  readonly name: string
  readonly value: number
}

/** Every command the core emits. */
export type HedgerCommand =
  | PlaceOrderCommand
  | AmendOrderCommand
  | CancelOrderCommand
  | CancelAllCommand
  | ArmDeadManSwitchCommand
  | RequestOpenOrdersCommand
  | LookupOrderCommand
  | HaltCommand
  | ResumeCommand
  | SuggestRangeCommand
  | LogCommand
  | MetricCommand
