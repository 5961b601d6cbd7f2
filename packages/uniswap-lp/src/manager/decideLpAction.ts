import { computeInventoryDeviation } from '../inventory/computeInventoryDeviation.js'
import { type PriceOrientation, sqrtPriceX96ToPrice } from '../math/priceTick.js'
import { applyRangeHalfWidthHint } from '../planner/applyRangeHalfWidthHint.js'
import { planRanges } from '../planner/planRanges.js'
import type { ModelQuote, RangePlan, RangePlannerConfig } from '../planner/types.js'
import { decideRebalance } from '../policy/decideRebalance.js'
import type { RebalanceDecision, RebalancePolicyConfig, RebalancePolicyState } from '../policy/types.js'
import type { Holdings } from './computeHoldings.js'

/** What the manager asks the write side to do: close these NFTs, then mint these ranges (base first). */
export type LpRebalanceRequest = {
  readonly reason: RebalanceDecision['reason']
  /** Every NFT of ours in the pool. */
  readonly close: readonly bigint[]
  readonly mints: readonly { role: 'base' | 'limit'; tickLower: number; tickUpper: number }[]
  /** The planner's full output (liquidity and amounts at the decision's price). */
  readonly ranges: RangePlan
  readonly expectedGainUsd: number
  readonly gasCostUsd: number
}

export type DecideLpActionParameters = {
  nowMs: number
  holdings: Holdings
  /** The current base range (null: none). */
  baseRange: { tickLower: number; tickUpper: number } | null
  feePips: number
  orientation: PriceOrientation
  /** The inventory target as a share of value in the base token: the same number the inventory stream publishes. */
  targetBaseShare: number
  policyState: RebalancePolicyState
  policyConfig: RebalancePolicyConfig
  planner: RangePlannerConfig
  /** The latest model quote; null: centre on the pool price with no model spread. */
  quote: ModelQuote | null
  /**
   * The hedger's suggestRange hint: `{ bps }` as the hedger emits it (planned through applyRangeHalfWidthHint, exactly
   * as the backtester does) or `{ ticks }`; either only widens the base (max with the planner's minBaseHalfWidthTicks).
   * null: none.
   */
  rangeHalfWidthHint: { bps: number } | { ticks: number } | null
  expectedGainUsd: number
  gasCostUsd: number
}

export type DecideLpActionReturnType = {
  decision: RebalanceDecision
  /** baseShare − targetBaseShare of the total holdings at the pool price. */
  inventoryDeviation: number
  /** Set when the decision is 'rebalance'. */
  request: LpRebalanceRequest | null
}

/**
 * The manager's decision, pure: the inventory deviation from the one target, decideRebalance with the gas-vs-gain
 * inputs, and, on 'rebalance', planRanges over everything we hold (positions + fees + wallet, as the backtester does
 * after closing) with the latest quote and the range-width hint (applyRangeHalfWidthHint, shared with the backtester).
 * @throws the errors of decideRebalance and planRanges
 */
export function decideLpAction(p: DecideLpActionParameters): DecideLpActionReturnType {
  const { holdings } = p
  const inventoryDeviation = computeInventoryDeviation({
    amount0Raw: holdings.total0Raw,
    amount1Raw: holdings.total1Raw,
    sqrtPriceX96: holdings.sqrtPriceX96,
    baseToken: p.orientation.baseToken,
    targetBaseShare: p.targetBaseShare,
  }).deviation
  const decision = decideRebalance({
    nowMs: p.nowMs,
    tick: holdings.tick,
    position: p.baseRange,
    inventoryDeviation,
    expectedGainUsd: p.expectedGainUsd,
    gasCostUsd: p.gasCostUsd,
    state: p.policyState,
    config: p.policyConfig,
  })
  if (decision.action !== 'rebalance') return { decision, inventoryDeviation, request: null }
  const poolPrice = sqrtPriceX96ToPrice(holdings.sqrtPriceX96, p.orientation)
  const quote = p.quote ?? { midPrice: poolPrice, reservationPrice: poolPrice, bidDepth: 0, askDepth: 0 }
  const hint = p.rangeHalfWidthHint
  const planner =
    hint === null
      ? p.planner
      : 'bps' in hint
        ? applyRangeHalfWidthHint(p.planner, hint.bps)
        : { ...p.planner, minBaseHalfWidthTicks: Math.max(p.planner.minBaseHalfWidthTicks, hint.ticks) }
  const ranges = planRanges({
    quote,
    pool: { sqrtPriceX96: holdings.sqrtPriceX96, tick: holdings.tick, feePips: p.feePips },
    orientation: p.orientation,
    balances: { amount0Raw: holdings.total0Raw, amount1Raw: holdings.total1Raw },
    config: planner,
    inventoryTarget: { baseShare: p.targetBaseShare },
  })
  const mints: LpRebalanceRequest['mints'][number][] = [
    { role: 'base', tickLower: ranges.base.tickLower, tickUpper: ranges.base.tickUpper },
  ]
  if (ranges.limit !== null && ranges.limit.liquidity > 0n)
    mints.push({ role: 'limit', tickLower: ranges.limit.tickLower, tickUpper: ranges.limit.tickUpper })
  return {
    decision,
    inventoryDeviation,
    request: {
      reason: decision.reason,
      close: holdings.positions.map((q) => BigInt(q.tokenId)),
      mints,
      ranges,
      expectedGainUsd: p.expectedGainUsd,
      gasCostUsd: p.gasCostUsd,
    },
  }
}

/**
 * The base range among our positions: the widest one with liquidity (the planner's base spans the price and is at
 * least as wide as the limit in the seed configuration); null without positions.
 */
export function pickBaseRange(holdings: Holdings): { tickLower: number; tickUpper: number } | null {
  let best: { tickLower: number; tickUpper: number } | null = null
  for (const q of holdings.positions) {
    if (q.liquidity === 0n) continue
    if (best === null || q.tickUpper - q.tickLower > best.tickUpper - best.tickLower)
      best = { tickLower: q.tickLower, tickUpper: q.tickUpper }
  }
  return best
}
