import { MathOverflowError } from '../errors/math.js'
import { minBigInt } from '../internal/bigintMinMax.js'
import { MAX_UINT128, Q96 } from '../math/constants.js'
import { mulDiv } from '../math/fullMath.js'

/**
 * The largest liquidity both balances can fund over [√a, √b] at `sqrtPriceX96`. Equal to the periphery's
 * getLiquidityForAmounts whenever that does not revert, except that one side that alone would exceed uint128 (a
 * token held in abundance) does not fail the plan: only the minimum must fit, as it is what gets minted.
 * @throws MathOverflowError when the minted liquidity itself exceeds uint128.
 */
export function getLiquidityForBalances(
  sqrtPriceX96: bigint,
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  amount0Raw: bigint,
  amount1Raw: bigint,
): bigint {
  const [a, b] = sqrtRatioAX96 < sqrtRatioBX96 ? [sqrtRatioAX96, sqrtRatioBX96] : [sqrtRatioBX96, sqrtRatioAX96]
  const fromAmount0 = (lower: bigint) => mulDiv(amount0Raw, mulDiv(lower, b, Q96), b - lower)
  const fromAmount1 = (upper: bigint) => mulDiv(amount1Raw, Q96, upper - a)
  const liquidity =
    sqrtPriceX96 <= a
      ? fromAmount0(a)
      : sqrtPriceX96 < b
        ? minBigInt(fromAmount0(sqrtPriceX96), fromAmount1(sqrtPriceX96))
        : fromAmount1(b)
  if (liquidity > MAX_UINT128) {
    throw new MathOverflowError({
      operation: 'getLiquidityForBalances',
      reason: 'liquidity > uint128 (balances too large for this range)',
    })
  }
  return liquidity
}
