import { InvalidAmountError, ZeroLiquidityError } from '../errors/liquidity.js'
import { MathOverflowError } from '../errors/math.js'
import { MAX_INT256, MAX_UINT160, MAX_UINT256, Q96 } from './constants.js'
import { divRoundingUp, mulDiv, mulDivRoundingUp } from './fullMath.js'

const TWO_256 = 1n << 256n

function toUint160(x: bigint, operation: string): bigint {
  if (x > MAX_UINT160) throw new MathOverflowError({ operation, reason: 'result > uint160' })
  return x
}

/**
 * `SqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp` (v3-core): the next sqrt price after adding (`add`) or removing
 * `amount` of token0, rounded up. Emulates the contract's uint256 overflow checks so the chosen branch (and result) match.
 */
export function getNextSqrtPriceFromAmount0RoundingUp(
  sqrtPX96: bigint,
  liquidity: bigint,
  amount: bigint,
  add: boolean,
): bigint {
  if (amount === 0n) return sqrtPX96
  const numerator1 = liquidity << 96n
  const product = (amount * sqrtPX96) % TWO_256 // uint256 multiplication wraps
  const productFits = product / amount === sqrtPX96
  if (add) {
    if (productFits) {
      const denominator = (numerator1 + product) % TWO_256
      if (denominator >= numerator1) return mulDivRoundingUp(numerator1, sqrtPX96, denominator)
    }
    return divRoundingUp(numerator1, numerator1 / sqrtPX96 + amount)
  }
  if (!productFits || numerator1 <= product) {
    throw new MathOverflowError({
      operation: 'SqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp',
      reason: 'amount out exceeds the token0 reserve of the liquidity',
    })
  }
  return toUint160(
    mulDivRoundingUp(numerator1, sqrtPX96, numerator1 - product),
    'SqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp',
  )
}

/**
 * `SqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown` (v3-core): the next sqrt price after adding or removing
 * `amount` of token1, rounded down.
 */
export function getNextSqrtPriceFromAmount1RoundingDown(
  sqrtPX96: bigint,
  liquidity: bigint,
  amount: bigint,
  add: boolean,
): bigint {
  const operation = 'SqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown'
  if (add) {
    const quotient = amount <= MAX_UINT160 ? (amount << 96n) / liquidity : mulDiv(amount, Q96, liquidity)
    const sum = sqrtPX96 + quotient
    if (sum > MAX_UINT256) throw new MathOverflowError({ operation, reason: 'sqrtPX96 + quotient > uint256' })
    return toUint160(sum, operation)
  }
  const quotient =
    amount <= MAX_UINT160 ? divRoundingUp(amount << 96n, liquidity) : mulDivRoundingUp(amount, Q96, liquidity)
  if (sqrtPX96 <= quotient) {
    throw new MathOverflowError({ operation, reason: 'amount out exceeds the token1 reserve of the liquidity' })
  }
  return sqrtPX96 - quotient
}

function requirePriceAndLiquidity(sqrtPX96: bigint, liquidity: bigint): void {
  if (sqrtPX96 <= 0n) throw new InvalidAmountError({ field: 'sqrtPX96', value: sqrtPX96, rule: '> 0' })
  if (liquidity <= 0n) throw new ZeroLiquidityError({ field: 'liquidity', value: liquidity })
}

/**
 * `SqrtPriceMath.getNextSqrtPriceFromInput` (v3-core): price after swapping `amountIn` in (token0 if `zeroForOne`),
 * rounded so that the price never moves past what the input pays for.
 * @throws ZeroLiquidityError when liquidity is 0 (the contract's `require(liquidity > 0)`).
 */
export function getNextSqrtPriceFromInput(
  sqrtPX96: bigint,
  liquidity: bigint,
  amountIn: bigint,
  zeroForOne: boolean,
): bigint {
  requirePriceAndLiquidity(sqrtPX96, liquidity)
  return zeroForOne
    ? getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true)
    : getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true)
}

/**
 * `SqrtPriceMath.getNextSqrtPriceFromOutput` (v3-core): price after swapping `amountOut` out (token1 if `zeroForOne`).
 * @throws ZeroLiquidityError when liquidity is 0.
 */
export function getNextSqrtPriceFromOutput(
  sqrtPX96: bigint,
  liquidity: bigint,
  amountOut: bigint,
  zeroForOne: boolean,
): bigint {
  requirePriceAndLiquidity(sqrtPX96, liquidity)
  return zeroForOne
    ? getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false)
    : getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false)
}

/**
 * `SqrtPriceMath.getAmount0Delta` (v3-core, unsigned): token0 between two sqrt prices for `liquidity`,
 * L·2^96·(√b − √a)/(√b·√a), rounded up when `roundUp`. Price order does not matter.
 */
export function getAmount0Delta(
  sqrtPriceAX96: bigint,
  sqrtPriceBX96: bigint,
  liquidity: bigint,
  roundUp: boolean,
): bigint {
  let a = sqrtPriceAX96
  let b = sqrtPriceBX96
  if (a > b) [a, b] = [b, a]
  if (a <= 0n) throw new InvalidAmountError({ field: 'sqrtPriceAX96', value: a, rule: '> 0' })
  const numerator1 = liquidity << 96n
  const numerator2 = b - a
  return roundUp ? divRoundingUp(mulDivRoundingUp(numerator1, numerator2, b), a) : mulDiv(numerator1, numerator2, b) / a
}

/**
 * `SqrtPriceMath.getAmount1Delta` (v3-core, unsigned): token1 between two sqrt prices for `liquidity`,
 * L·(√b − √a)/2^96, rounded up when `roundUp`.
 */
export function getAmount1Delta(
  sqrtPriceAX96: bigint,
  sqrtPriceBX96: bigint,
  liquidity: bigint,
  roundUp: boolean,
): bigint {
  let a = sqrtPriceAX96
  let b = sqrtPriceBX96
  if (a > b) [a, b] = [b, a]
  // mulDiv(L, b − a, 2^96) as a shift; rounding up adds one when any of the low 96 bits is set.
  const product = liquidity * (b - a)
  const result = (product >> 96n) + (roundUp && (product & Q96_MASK) !== 0n ? 1n : 0n)
  if (result > MAX_UINT256) {
    throw new MathOverflowError({ operation: 'SqrtPriceMath.getAmount1Delta', reason: 'result > uint256' })
  }
  return result
}

const Q96_MASK = Q96 - 1n

function toInt256(x: bigint, operation: string): bigint {
  if (x > MAX_INT256) throw new MathOverflowError({ operation, reason: 'result > int256' })
  return x
}

/**
 * `SqrtPriceMath.getAmount0Delta` (v3-core, signed int128 liquidity): what the pool takes (positive, rounded up) when
 * liquidity is added, or gives (negative, rounded down) when it is removed.
 */
export function getAmount0DeltaSigned(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint): bigint {
  const operation = 'SqrtPriceMath.getAmount0Delta'
  return liquidity < 0n
    ? -toInt256(getAmount0Delta(sqrtPriceAX96, sqrtPriceBX96, -liquidity, false), operation)
    : toInt256(getAmount0Delta(sqrtPriceAX96, sqrtPriceBX96, liquidity, true), operation)
}

/** `SqrtPriceMath.getAmount1Delta` (v3-core, signed int128 liquidity): see {@link getAmount0DeltaSigned}. */
export function getAmount1DeltaSigned(sqrtPriceAX96: bigint, sqrtPriceBX96: bigint, liquidity: bigint): bigint {
  const operation = 'SqrtPriceMath.getAmount1Delta'
  return liquidity < 0n
    ? -toInt256(getAmount1Delta(sqrtPriceAX96, sqrtPriceBX96, -liquidity, false), operation)
    : toInt256(getAmount1Delta(sqrtPriceAX96, sqrtPriceBX96, liquidity, true), operation)
}
