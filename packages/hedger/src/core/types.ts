import type { TradingIntensityEstimator, VolatilityEstimator } from '@alp/models'
import type { ResolvedHedgerConfig, ResolvedVenueConfig } from '../config/parseHedgerConfig.js'
import type { HaltReason } from '../messages/commands.js'
import type { BookLevelTicks, Side } from '../messages/events.js'

/** An order we believe is working. `pending` = sent, not yet confirmed by the venue (new, amend or cancel). */
export type WorkingOrder = {
  clientOrderId: string
  side: Side
  priceTicks: number
  sizeLots: number
  /**
   * Filled lots as far as we know: the larger of the venue's cumulative fill from order updates and the sum of the
   * fill events received (the size left resting is `sizeLots − filledLots`).
   */
  filledLots: number
  /** Cumulative fill the venue's order updates reported (monotone). */
  filledByUpdatesLots: number
  /** Sum of the fill events received for this order. The position moves by fill events and position reports only. */
  filledByFillsLots: number
  /**
   * The venue said the order is final but its updates report more filled than the fill events we received: it stays
   * here, blocking its side (nothing rests), until those fills arrive or a position report at or after
   * `finalVenueTimeMs` holds them.
   */
  awaitingFills: boolean
  /** Venue time of the final update (awaitingFills), ms; null when the venue gave none. */
  finalVenueTimeMs: number | null
  /** Venue time of the last update applied, ms: an older update of this order (redelivered, reordered) is ignored. */
  lastVenueTimeMs: number | null
  /** 'new': place sent; 'amend': amend sent; 'cancel': cancel sent; null: confirmed live by the venue. */
  pending: 'new' | 'amend' | 'cancel' | null
  /** While an amend is unconfirmed: the price the venue may still hold (the order may rest at either). */
  previousPriceTicks?: number | undefined
  /** While an amend is unconfirmed: the size the venue may still hold. */
  previousSizeLots?: number | undefined
  /**
   * When the last command for this order was sent (place, amend, cancel), core clock. An open-orders snapshot requested
   * before that instant may not show its effect, so it never removes this order.
   */
  sentNs: bigint
  /**
   * We do not know the order's state: its create got no definite answer, or it vanished (not found on amend or cancel,
   * missing from a snapshot) without saying whether it filled. It is looked up by client id until the venue answers,
   * and it keeps its side blocked (and its size counted against the limits) until then.
   */
  unknown: boolean
  /** Next lookup by client id (unknown creates only). */
  nextLookupNs: bigint | null
  lookupAttempts: number
}

/** The kill switch's or a venue halt's cancel-all, repeated with backoff until the venue confirms no open order. */
export type CancelSweep = {
  reason: HaltReason
  /** cancelAll commands sent so far. */
  attempts: number
  /** When the last cancelAll was sent. */
  sentNs: bigint
  /** When the next one is due if the venue has not confirmed by then. */
  nextNs: bigint
}

/**
 * A fill applied after the last position report: inside a later report when its venue time is at or before the
 * report's; `null` (no venue time) is taken as inside the next report.
 */
export type UnreportedFill = { readonly venueTimeMs: number | null; readonly lots: number }

/** Best bid/offer on the venue grid. */
export type BboTicks = { bidPriceTicks: number; bidSizeLots: number; askPriceTicks: number; askSizeLots: number }

/** A desired quote on one side. */
export type QuoteLevel = { readonly priceTicks: number; readonly sizeLots: number }

/** What one venue should be quoting; `status` says why a side is missing ('quoting' when both may be present). */
export type VenueQuote = { bid: QuoteLevel | null; ask: QuoteLevel | null; status: string }

/** Rolling pool-vs-CEX monitor of one venue. */
export type BasisMonitor = {
  lastPoolLog: number | null
  lastMidLog: number | null
  /** Ring of (pool return, CEX return) pairs. */
  poolReturns: number[]
  midReturns: number[]
  next: number
  count: number
  basisBps: number | null
  correlation: number | null
}

/** Everything the core knows about one venue. */
export type VenueState = {
  readonly config: ResolvedVenueConfig
  bbo: BboTicks | null
  bids: readonly BookLevelTicks[] | null
  asks: readonly BookLevelTicks[] | null
  /** Last book/BBO event (the feed whose silence halts quoting). */
  lastMarketNs: bigint | null
  /** Last public trade (ordering only: trades never make a silent book look fresh). */
  lastTradeNs: bigint | null
  connected: boolean
  feedGap: boolean
  stale: boolean
  basisHalted: boolean
  divergenceHalted: boolean
  /** Which venue-scoped halt we last announced (null = none). */
  haltAnnounced: HaltReason | null
  /** The position: the last venue report plus the fills after it. */
  positionLots: number
  /** Venue time of the last position report, ms (null: none, or a report without a venue time). */
  reportVenueTimeMs: number | null
  /** Fills applied after the last report, with their venue times (bounded by the next report). */
  unreportedFills: UnreportedFill[]
  /**
   * Fills stamped just after the last report (within POSITION_STAMP_SKEW_MS of it) whose inclusion in it is unknown:
   * taken as held by it (not in `positionLots`), but the limits allow for them not being held (`positionBounds`).
   * The next report settles them.
   */
  ambiguousFills: UnreportedFill[]
  readonly orders: Map<string, WorkingOrder>
  /** Trade ids already applied (bounded, oldest dropped first). */
  readonly seenTradeIds: Set<string>
  /** Client ids of orders that became final (filled, cancelled, rejected, absent), with when (bounded). */
  readonly finalOrders: Map<string, bigint>
  /** The cancel-all sweep in progress (kill switch or venue halt), or null. */
  sweep: CancelSweep | null
  /** When the outstanding open-orders snapshot was requested by the core (null: none outstanding). */
  snapshotRequestedNs: bigint | null
  /** When the core last requested an open-orders snapshot (null: never). */
  lastSnapshotRequestNs: bigint | null
  readonly volatility: VolatilityEstimator
  readonly intensity: TradingIntensityEstimator | null
  aPerSec: number | null
  kPerPrice: number | null
  intensityReadNs: bigint | null
  intensityStatus: string
  tokens: number
  tokensNs: bigint | null
  lastDeadManNs: bigint | null
  status: string
  readonly basis: BasisMonitor
}

/** The net exposure the hedger steers to target. */
export type NetExposure = {
  /** LP base holdings minus the LP's own target, base units. */
  lpDeviationBase: number
  /** Sum of CEX positions, base units. */
  cexPositionBase: number
  /** lpDeviationBase + cexPositionBase − hedge.targetNetBase, base units. */
  netBase: number
  /** netBase valued at the reference price (pool price, else the first venue mid), USD; null before any price. */
  netUsd: number | null
}

/** The whole core state. Threaded through `step`: the returned state replaces the argument. */
export type HedgerState = {
  readonly config: ResolvedHedgerConfig
  readonly venues: readonly VenueState[]
  readonly venueByName: ReadonlyMap<string, VenueState>
  nowNs: bigint
  /** Run tag in every client order id (unique per process start, so ids never repeat across restarts). */
  readonly runTag: string
  nextOrderSeq: number
  lpDeviationBase: number
  poolPrice: number | null
  lpSeen: boolean
  /** Event time of the newest LP inventory update accepted, ns (null: none yet). */
  lpUpdatedNs: bigint | null
  /**
   * The global LP halt: no LP inventory update for longer than `hedge.lpInventoryStaleAfterMs`. Not latched: the next
   * fresh update ends it.
   */
  lpStale: boolean
  /** The latched global kill switch (null = not killed). */
  killed: HaltReason | null
  lastBasisSampleNs: bigint | null
  lastRangeNs: bigint | null
  lastRangeHalfWidthBps: number | null
}
