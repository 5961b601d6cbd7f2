import { InvalidParameterError } from '../errors/parameter.js'
import { InvalidDecimalsError } from '../errors/token.js'
import { encodeSqrtRatioX96 } from './encodeSqrtRatioX96.js'
import { fractionToNumber, parsePositiveDecimal } from './fraction.js'
import {
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
} from './tickMath.js'

/**
 * Which pool token a human price is quoted for. The human price is "quote per 1 base" in whole tokens.
 * USDC/WETH (token0 = USDC, token1 = WETH) quoted as USD per ETH has `baseToken: 'token1'`: the pool's raw price
 * (token1 per token0) is the inverse of the human price, scaled by 10^(decimals1 − decimals0).
 */
export type PriceOrientation = {
  /** The token whose one whole unit the price is quoted for. */
  baseToken: 'token0' | 'token1'
  /** ERC-20 decimals of the pool's token0. */
  decimals0: number
  /** ERC-20 decimals of the pool's token1. */
  decimals1: number
}

/**
 * Checks ERC-20 decimals (integer in [0, 255]).
 * @throws InvalidDecimalsError
 */
export function assertValidDecimals(orientation: PriceOrientation): void {
  for (const field of ['decimals0', 'decimals1'] as const) {
    const value = orientation[field]
    if (!Number.isInteger(value) || value < 0 || value > 255) throw new InvalidDecimalsError({ field, value })
  }
}

/**
 * Human price (decimal string, or a finite number read via its shortest decimal form) → the pool's sqrtPriceX96,
 * rounded down (floor of the exact square root).
 * @throws InvalidPriceError | InvalidDecimalsError
 */
export function priceToSqrtPriceX96(price: string | number, orientation: PriceOrientation): bigint {
  assertValidDecimals(orientation)
  const { numerator, denominator } = parsePositiveDecimal(price, 'price')
  const scale0 = 10n ** BigInt(orientation.decimals0)
  const scale1 = 10n ** BigInt(orientation.decimals1)
  // raw price = token1Raw / token0Raw. For base token0: human·10^d1/10^d0; for base token1: 10^d1/(human·10^d0).
  return orientation.baseToken === 'token0'
    ? encodeSqrtRatioX96(numerator * scale1, denominator * scale0)
    : encodeSqrtRatioX96(denominator * scale1, numerator * scale0)
}

/**
 * Human price → the pool tick at that price: the greatest tick whose sqrt ratio is ≤ the price's sqrtPriceX96
 * (in raw token1/token0 terms; with `baseToken: 'token1'` a higher human price gives a lower tick).
 */
export function priceToTick(price: string | number, orientation: PriceOrientation): number {
  assertValidDecimals(orientation)
  const { numerator, denominator } = parsePositiveDecimal(price, 'price')
  const scale0 = 10n ** BigInt(orientation.decimals0)
  const scale1 = 10n ** BigInt(orientation.decimals1)
  // Raw price token1/token0 as amount1/amount0, then X = floor(amount1·2^192 / amount0) as encodeSqrtRatioX96 does.
  const [amount1, amount0] =
    orientation.baseToken === 'token0'
      ? [numerator * scale1, denominator * scale0]
      : [denominator * scale1, numerator * scale0]
  const x = (amount1 << 192n) / amount0
  // getTickAtSqrtRatio(floor(√X)) is the greatest t with ratio(t) ≤ √X, i.e. ratio(t)² ≤ X (ratio(t) is an integer):
  // the same tick without the square root. Start from the float estimate and correct it exactly.
  if (x < MIN_SQRT_RATIO * MIN_SQRT_RATIO || x >= MAX_SQRT_RATIO * MAX_SQRT_RATIO) {
    return getTickAtSqrtRatio(encodeSqrtRatioX96(amount1, amount0)) // throws SqrtPriceOutOfRangeError
  }
  const estimate = Math.floor(Math.log(fractionToNumber(amount1, amount0)) / LOG_TICK_BASE)
  let tick = Math.min(Math.max(estimate, MIN_TICK), MAX_TICK)
  while (tick > MIN_TICK && squaredRatio(tick) > x) tick--
  while (tick < MAX_TICK && squaredRatio(tick + 1) <= x) tick++
  return tick
}

const LOG_TICK_BASE = Math.log(1.0001)

function squaredRatio(tick: number): bigint {
  const ratio = getSqrtRatioAtTick(tick)
  return ratio * ratio
}

/** sqrtPriceX96 → human price (quote per base) as the nearest double; exact up to the final rounding. */
export function sqrtPriceX96ToPrice(sqrtPriceX96: bigint, orientation: PriceOrientation): number {
  assertValidDecimals(orientation)
  const priceX192 = sqrtPriceX96 * sqrtPriceX96
  const scale0 = 10n ** BigInt(orientation.decimals0)
  const scale1 = 10n ** BigInt(orientation.decimals1)
  const q192 = 1n << 192n
  return orientation.baseToken === 'token0'
    ? fractionToNumber(priceX192 * scale0, q192 * scale1)
    : fractionToNumber(q192 * scale1, priceX192 * scale0)
}

/**
 * sqrtPriceX96 → human price as a decimal string with `fractionDigits` digits, rounded DOWN (toward zero).
 */
export function formatSqrtPriceX96(
  sqrtPriceX96: bigint,
  orientation: PriceOrientation,
  fractionDigits: number,
): string {
  assertValidDecimals(orientation)
  if (!Number.isInteger(fractionDigits) || fractionDigits < 0) {
    throw new InvalidParameterError({ field: 'fractionDigits', value: fractionDigits, rule: 'a non-negative integer' })
  }
  const priceX192 = sqrtPriceX96 * sqrtPriceX96
  const scale0 = 10n ** BigInt(orientation.decimals0)
  const scale1 = 10n ** BigInt(orientation.decimals1)
  const q192 = 1n << 192n
  const [numerator, denominator] =
    orientation.baseToken === 'token0' ? [priceX192 * scale0, q192 * scale1] : [q192 * scale1, priceX192 * scale0]
  const scaled = (numerator * 10n ** BigInt(fractionDigits)) / denominator
  if (fractionDigits === 0) return scaled.toString()
  const digits = scaled.toString().padStart(fractionDigits + 1, '0')
  return `${digits.slice(0, -fractionDigits)}.${digits.slice(-fractionDigits)}`
}

/** Tick → human price (quote per base) as the nearest double, via the exact getSqrtRatioAtTick. */
export function tickToPrice(tick: number, orientation: PriceOrientation): number {
  return sqrtPriceX96ToPrice(getSqrtRatioAtTick(tick), orientation)
}

/**
 * Whether `tokenA` sorts before `tokenB` (lower address as a 160-bit number), i.e. would be the pool's token0.
 * Same rule as the factory and @uniswap/sdk-core `Token.sortsBefore`.
 */
export function sortsBefore(tokenA: string, tokenB: string): boolean {
  for (const [field, value] of [
    ['tokenA', tokenA],
    ['tokenB', tokenB],
  ] as const) {
    if (!ADDRESS.test(value))
      throw new InvalidParameterError({ field, value, rule: 'a 0x-prefixed 20-byte hex address' })
  }
  if (BigInt(tokenA) === BigInt(tokenB)) {
    throw new InvalidParameterError({ field: 'tokenB', value: tokenB, rule: 'a different address than tokenA' })
  }
  return BigInt(tokenA) < BigInt(tokenB)
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
