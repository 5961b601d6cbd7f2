import { MAX_UINT128 } from '../math/constants.js'
import { getFeeGrowthInside, getTokensOwed, type TickFeeGrowthOutside } from '../math/feeGrowth.js'

export type UncollectedFees = {
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type ComputeUncollectedFeesParameters = {
  position: {
    tickLower: number
    tickUpper: number
    liquidity: bigint
    feeGrowthInside0LastX128: bigint
    feeGrowthInside1LastX128: bigint
    tokensOwed0: bigint
    tokensOwed1: bigint
  }
  tickCurrent: number
  feeGrowthGlobal0X128: bigint
  feeGrowthGlobal1X128: bigint
  lower: TickFeeGrowthOutside
  upper: TickFeeGrowthOutside
}

/**
 * What `collect()` with max amounts would pay now: tokensOwed plus floor(L × (feeGrowthInside − last) / 2^128) per
 * token, where feeGrowthInside is recomputed from the pool's globals and the two ticks (the poke `collect` performs).
 * Works for both the pool's own position record and the position manager's (which keeps its own checkpoint).
 */
export function computeUncollectedFees(p: ComputeUncollectedFeesParameters): UncollectedFees {
  const inside = getFeeGrowthInside({
    tickLower: p.position.tickLower,
    tickUpper: p.position.tickUpper,
    tickCurrent: p.tickCurrent,
    feeGrowthGlobal0X128: p.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: p.feeGrowthGlobal1X128,
    lower: p.lower,
    upper: p.upper,
  })
  const owed0 = getTokensOwed(p.position.liquidity, inside.feeGrowthInside0X128, p.position.feeGrowthInside0LastX128)
  const owed1 = getTokensOwed(p.position.liquidity, inside.feeGrowthInside1X128, p.position.feeGrowthInside1LastX128)
  // The position manager adds in uint128 (0.7 wraps); a wrap needs > 2^128 base units of fees, never in practice.
  return {
    amount0Raw: (p.position.tokensOwed0 + owed0) & MAX_UINT128,
    amount1Raw: (p.position.tokensOwed1 + owed1) & MAX_UINT128,
  }
}
