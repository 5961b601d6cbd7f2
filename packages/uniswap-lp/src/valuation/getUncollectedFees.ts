import { MAX_UINT128 } from '../math/constants.js'
import { getFeeGrowthInside, getTokensOwed, type TickFeeGrowthOutside } from '../math/feeGrowth.js'

export type GetUncollectedFeesParameters = {
  /** The position's liquidity (`positions(key).liquidity`). */
  liquidity: bigint
  tickLower: number
  tickUpper: number
  /** slot0.tick. */
  tickCurrent: number
  feeGrowthGlobal0X128: bigint
  feeGrowthGlobal1X128: bigint
  /** `ticks(tickLower)` fee growth outside. */
  lower: TickFeeGrowthOutside
  /** `ticks(tickUpper)` fee growth outside. */
  upper: TickFeeGrowthOutside
  /** The position's checkpoint `feeGrowthInside{0,1}LastX128`. */
  feeGrowthInside0LastX128: bigint
  feeGrowthInside1LastX128: bigint
  /** Already credited but not collected (`tokensOwed{0,1}`). */
  tokensOwed0: bigint
  tokensOwed1: bigint
}

/**
 * Fees a collect would pay right now: `tokensOwed` plus what `Position.update` would credit on a poke (burn of 0),
 * computed exactly as v3-core does (wrapping fee growth, floor, uint128 truncation; the uint128 addition of the owed
 * amounts wraps like Solidity 0.7's unchecked `+=`).
 */
export function getUncollectedFees(p: GetUncollectedFeesParameters): { fees0Raw: bigint; fees1Raw: bigint } {
  const inside = getFeeGrowthInside({
    tickLower: p.tickLower,
    tickUpper: p.tickUpper,
    tickCurrent: p.tickCurrent,
    feeGrowthGlobal0X128: p.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: p.feeGrowthGlobal1X128,
    lower: p.lower,
    upper: p.upper,
  })
  const owed0 = getTokensOwed(p.liquidity, inside.feeGrowthInside0X128, p.feeGrowthInside0LastX128)
  const owed1 = getTokensOwed(p.liquidity, inside.feeGrowthInside1X128, p.feeGrowthInside1LastX128)
  return { fees0Raw: (p.tokensOwed0 + owed0) & MAX_UINT128, fees1Raw: (p.tokensOwed1 + owed1) & MAX_UINT128 }
}
