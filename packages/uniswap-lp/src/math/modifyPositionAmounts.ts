import { getAmount0DeltaSigned, getAmount1DeltaSigned } from './sqrtPriceMath.js'
import { getSqrtRatioAtTick } from './tickMath.js'

export type ModifyPositionAmounts = {
  /** Token0 the pool takes (> 0, rounded up) or pays out (< 0, rounded down), raw units. */
  amount0Raw: bigint
  /** Token1 the pool takes (> 0, rounded up) or pays out (< 0, rounded down), raw units. */
  amount1Raw: bigint
}

/**
 * The token amounts `UniswapV3Pool._modifyPosition` (v3-core) charges for a mint (`liquidityDelta` > 0) or releases for
 * a burn (`liquidityDelta` < 0). Like the pool it decides the side from `tickCurrent` (slot0.tick), not from the price.
 */
export function getModifyPositionAmounts(parameters: {
  tickCurrent: number
  sqrtPriceX96: bigint
  tickLower: number
  tickUpper: number
  liquidityDelta: bigint
}): ModifyPositionAmounts {
  const { tickCurrent, sqrtPriceX96, tickLower, tickUpper, liquidityDelta } = parameters
  const sqrtLowerX96 = getSqrtRatioAtTick(tickLower)
  const sqrtUpperX96 = getSqrtRatioAtTick(tickUpper)
  if (tickCurrent < tickLower) {
    return { amount0Raw: getAmount0DeltaSigned(sqrtLowerX96, sqrtUpperX96, liquidityDelta), amount1Raw: 0n }
  }
  if (tickCurrent < tickUpper) {
    return {
      amount0Raw: getAmount0DeltaSigned(sqrtPriceX96, sqrtUpperX96, liquidityDelta),
      amount1Raw: getAmount1DeltaSigned(sqrtLowerX96, sqrtPriceX96, liquidityDelta),
    }
  }
  return { amount0Raw: 0n, amount1Raw: getAmount1DeltaSigned(sqrtLowerX96, sqrtUpperX96, liquidityDelta) }
}
