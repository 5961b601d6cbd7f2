import { MAX_UINT128, MAX_UINT256, Q128 } from './constants.js'

/** The fee growth fields the pool stores for one initialized tick (`Tick.Info.feeGrowthOutside{0,1}X128`). */
export type TickFeeGrowthOutside = {
  feeGrowthOutside0X128: bigint
  feeGrowthOutside1X128: bigint
}

export type FeeGrowthInside = {
  feeGrowthInside0X128: bigint
  feeGrowthInside1X128: bigint
}

/** Subtraction modulo 2^256, as Solidity 0.7 `uint256 - uint256` (unchecked) computes it. */
export function subUint256(a: bigint, b: bigint): bigint {
  return (a - b) & MAX_UINT256
}

/**
 * `Tick.getFeeGrowthInside` (v3-core): fee growth per unit of liquidity inside [tickLower, tickUpper), from the
 * pool's global accumulators and the two ticks' `feeGrowthOutside`, with the contract's wrapping uint256 arithmetic
 * (the result is meaningful only as a difference between two readings).
 */
export function getFeeGrowthInside(parameters: {
  tickLower: number
  tickUpper: number
  tickCurrent: number
  feeGrowthGlobal0X128: bigint
  feeGrowthGlobal1X128: bigint
  lower: TickFeeGrowthOutside
  upper: TickFeeGrowthOutside
}): FeeGrowthInside {
  const { tickLower, tickUpper, tickCurrent, feeGrowthGlobal0X128: global0, feeGrowthGlobal1X128: global1 } = parameters
  const { lower, upper } = parameters
  // Growth below the lower tick: the tick's "outside" value flips meaning when the price is below it.
  const below0 =
    tickCurrent >= tickLower ? lower.feeGrowthOutside0X128 : subUint256(global0, lower.feeGrowthOutside0X128)
  const below1 =
    tickCurrent >= tickLower ? lower.feeGrowthOutside1X128 : subUint256(global1, lower.feeGrowthOutside1X128)
  const above0 =
    tickCurrent < tickUpper ? upper.feeGrowthOutside0X128 : subUint256(global0, upper.feeGrowthOutside0X128)
  const above1 =
    tickCurrent < tickUpper ? upper.feeGrowthOutside1X128 : subUint256(global1, upper.feeGrowthOutside1X128)
  return {
    feeGrowthInside0X128: subUint256(subUint256(global0, below0), above0),
    feeGrowthInside1X128: subUint256(subUint256(global1, below1), above1),
  }
}

/**
 * Fees a position earned since its last checkpoint, as `Position.update` (v3-core 1.0) computes them:
 * uint128(floor(liquidity × (feeGrowthInsideX128 − feeGrowthInsideLastX128 mod 2^256) / 2^128)).
 * The uint128 cast truncates, exactly as the contract's (the pool accepts that overflow).
 */
export function getTokensOwed(liquidity: bigint, feeGrowthInsideX128: bigint, feeGrowthInsideLastX128: bigint): bigint {
  const delta = subUint256(feeGrowthInsideX128, feeGrowthInsideLastX128)
  return ((delta * liquidity) / Q128) & MAX_UINT128
}
