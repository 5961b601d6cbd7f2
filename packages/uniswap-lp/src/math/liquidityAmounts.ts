import { MathOverflowError } from '../errors/math.js'
import { maxBigInt, minBigInt } from '../internal/bigintMinMax.js'
import { MAX_UINT128 } from './constants.js'
import { mulDiv } from './fullMath.js'

// Division by 2^96 of a non-negative value is a right shift; the uint128 check below also covers mulDiv's uint256 one.
function width(a: bigint, b: bigint): bigint {
  if (a === b) throw new MathOverflowError({ operation: 'FullMath.mulDiv', reason: 'denominator is 0 (empty range)' })
  return b - a
}

function toUint128(x: bigint): bigint {
  if (x > MAX_UINT128)
    throw new MathOverflowError({ operation: 'LiquidityAmounts.toUint128', reason: 'result > uint128' })
  return x
}

/**
 * `LiquidityAmounts.getLiquidityForAmount0` (v3-periphery): the liquidity that `amount0` of token0 buys over [√a, √b],
 * amount0·(√a·√b/2^96)/(√b − √a), rounded down at each step as the periphery does.
 */
export function getLiquidityForAmount0(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, amount0: bigint): bigint {
  const a = minBigInt(sqrtRatioAX96, sqrtRatioBX96)
  const b = maxBigInt(sqrtRatioAX96, sqrtRatioBX96)
  const intermediate = (a * b) >> 96n
  return toUint128((amount0 * intermediate) / width(a, b))
}

/** `LiquidityAmounts.getLiquidityForAmount1` (v3-periphery): amount1·2^96/(√b − √a), rounded down. */
export function getLiquidityForAmount1(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, amount1: bigint): bigint {
  const a = minBigInt(sqrtRatioAX96, sqrtRatioBX96)
  const b = maxBigInt(sqrtRatioAX96, sqrtRatioBX96)
  return toUint128((amount1 << 96n) / width(a, b))
}

/**
 * `LiquidityAmounts.getLiquidityForAmounts` (v3-periphery): the largest liquidity that both `amount0` and `amount1`
 * can fund over [√a, √b] at the current price `sqrtRatioX96` (token0 only below the range, token1 only above).
 * Equals @uniswap/v3-sdk `maxLiquidityForAmounts(…, useFullPrecision = false)`.
 */
export function getLiquidityForAmounts(
  sqrtRatioX96: bigint,
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  amount0: bigint,
  amount1: bigint,
): bigint {
  const a = minBigInt(sqrtRatioAX96, sqrtRatioBX96)
  const b = maxBigInt(sqrtRatioAX96, sqrtRatioBX96)
  if (sqrtRatioX96 <= a) return getLiquidityForAmount0(a, b, amount0)
  if (sqrtRatioX96 < b) {
    const liquidity0 = getLiquidityForAmount0(sqrtRatioX96, b, amount0)
    const liquidity1 = getLiquidityForAmount1(a, sqrtRatioX96, amount1)
    return minBigInt(liquidity0, liquidity1)
  }
  return getLiquidityForAmount1(a, b, amount1)
}

/** `LiquidityAmounts.getAmount0ForLiquidity` (v3-periphery): token0 held by `liquidity` over [√a, √b], rounded down. */
export function getAmount0ForLiquidity(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint): bigint {
  const a = minBigInt(sqrtRatioAX96, sqrtRatioBX96)
  const b = maxBigInt(sqrtRatioAX96, sqrtRatioBX96)
  if (a === 0n)
    throw new MathOverflowError({ operation: 'LiquidityAmounts.getAmount0ForLiquidity', reason: 'sqrtRatioAX96 is 0' })
  return mulDiv(liquidity << 96n, b - a, b) / a
}

/** `LiquidityAmounts.getAmount1ForLiquidity` (v3-periphery): token1 held by `liquidity` over [√a, √b], rounded down. */
export function getAmount1ForLiquidity(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidity: bigint): bigint {
  const a = minBigInt(sqrtRatioAX96, sqrtRatioBX96)
  const b = maxBigInt(sqrtRatioAX96, sqrtRatioBX96)
  return (liquidity * (b - a)) >> 96n
}

export type AmountsForLiquidity = { amount0: bigint; amount1: bigint }

/**
 * `LiquidityAmounts.getAmountsForLiquidity` (v3-periphery): token amounts held by `liquidity` over [√a, √b] at the
 * current price, rounded down (what a burn would return, before fees).
 */
export function getAmountsForLiquidity(
  sqrtRatioX96: bigint,
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  liquidity: bigint,
): AmountsForLiquidity {
  const a = minBigInt(sqrtRatioAX96, sqrtRatioBX96)
  const b = maxBigInt(sqrtRatioAX96, sqrtRatioBX96)
  if (sqrtRatioX96 <= a) return { amount0: getAmount0ForLiquidity(a, b, liquidity), amount1: 0n }
  if (sqrtRatioX96 < b) {
    return {
      amount0: getAmount0ForLiquidity(sqrtRatioX96, b, liquidity),
      amount1: getAmount1ForLiquidity(a, sqrtRatioX96, liquidity),
    }
  }
  return { amount0: 0n, amount1: getAmount1ForLiquidity(a, b, liquidity) }
}
