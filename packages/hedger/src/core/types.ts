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
  filledLots: number
  /** 'new': place sent; 'amend': amend sent; 'cancel': cancel sent; null: confirmed live by the venue. */
  pending: 'new' | 'amend' | 'cancel' | null
  /** While an amend is unconfirmed: the price the venue may still hold (the order may rest at either). */
  previousPriceTicks?: number | undefined
}

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
  lastMarketNs: bigint | null
  connected: boolean
  feedGap: boolean
  stale: boolean
  basisHalted: boolean
  divergenceHalted: boolean
  /** Which venue-scoped halt we last announced (null = none). */
  haltAnnounced: HaltReason | null
  positionLots: number
  readonly orders: Map<string, WorkingOrder>
  /** Trade ids already applied (bounded, oldest dropped first). */
  readonly seenTradeIds: Set<string>
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
  nextOrderSeq: number
  lpDeviationBase: number
  poolPrice: number | null
  lpSeen: boolean
  /** The latched global kill switch (null = not killed). */
  killed: HaltReason | null
  lastBasisSampleNs: bigint | null
  lastRangeNs: bigint | null
  lastRangeHalfWidthBps: number | null
}
