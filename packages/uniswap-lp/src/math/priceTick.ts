import { InvalidParameterError } from '../errors/parameter.js'
import { InvalidDecimalsError } from '../errors/token.js'
import { encodeSqrtRatioX96 } from './encodeSqrtRatioX96.js'
import { type Fraction, fractionToNumber, parsePositiveDecimal } from './fraction.js'
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
 * (in raw token1/token0 terms; with `baseToken: 'token1'` a higher human price gives a lower tick). Also takes an
 * exact fraction: `priceToTick(tickToPriceFraction(t))` is t. A rounded double from `tickToPrice(t)` floors to t − 1
 * about half the time: use {@link nearestTickForPrice} for those.
 */
export function priceToTick(price: string | number | Fraction, orientation: PriceOrientation): number {
  assertValidDecimals(orientation)
  const { numerator, denominator } =
    typeof price === 'object' ? checkFraction(price) : parsePositiveDecimal(price, 'price')
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

const Q192 = 1n << 192n
const POWERS_OF_TEN: bigint[] = []

/** 10^decimals as a bigint, cached (decimals validated by assertValidDecimals: an integer in [0, 255]). */
function powerOfTen(decimals: number): bigint {
  let power = POWERS_OF_TEN[decimals]
  if (power === undefined) {
    power = 10n ** BigInt(decimals)
    POWERS_OF_TEN[decimals] = power
  }
  return power
}

/** sqrtPriceX96 → human price (quote per base) as the nearest double; exact up to the final rounding. */
export function sqrtPriceX96ToPrice(sqrtPriceX96: bigint, orientation: PriceOrientation): number {
  assertValidDecimals(orientation)
  const priceX192 = sqrtPriceX96 * sqrtPriceX96
  const scale0 = powerOfTen(orientation.decimals0)
  const scale1 = powerOfTen(orientation.decimals1)
  const q192 = Q192
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

/**
 * Tick → human price (quote per base) as the nearest double, via the exact getSqrtRatioAtTick. The double is rounded,
 * so `priceToTick(tickToPrice(t))` (which floors) returns t − 1 whenever the rounding went down: about half of all
 * ticks. For a round trip use {@link nearestTickForPrice} on this double, or {@link tickToPriceFraction} with
 * `priceToTick`, which are exact.
 */
export function tickToPrice(tick: number, orientation: PriceOrientation): number {
  return sqrtPriceX96ToPrice(getSqrtRatioAtTick(tick), orientation)
}

/**
 * Tick → the exact human price (quote per base) of the tick's sqrt ratio, as a fraction (as v3-sdk's `tickToPrice`
 * returns a `Price` fraction): getSqrtRatioAtTick(t)² / 2^192 scaled by the decimals. `priceToTick` of this fraction
 * is exactly `t`.
 */
export function tickToPriceFraction(tick: number, orientation: PriceOrientation): Fraction {
  assertValidDecimals(orientation)
  const ratio = getSqrtRatioAtTick(tick)
  const priceX192 = ratio * ratio
  const scale0 = 10n ** BigInt(orientation.decimals0)
  const scale1 = 10n ** BigInt(orientation.decimals1)
  const q192 = 1n << 192n
  return orientation.baseToken === 'token0'
    ? { numerator: priceX192 * scale0, denominator: q192 * scale1 }
    : { numerator: q192 * scale1, denominator: priceX192 * scale0 }
}

const LN10 = Math.LN10

/**
 * Human price → the NEAREST tick (in log price: the tick t whose squared sqrt ratio is closest to the raw price, ties
 * going up), where `priceToTick` returns the tick at or below the price. A price from `tickToPrice(t)` is within a
 * few ulps of tick t's exact price while neighbouring ticks are 1e-4 apart, so `nearestTickForPrice(tickToPrice(t))`
 * is `t` for every tick in [MIN_TICK, MAX_TICK]: the function to open a range "at the current price" from a float price.
 * A float estimate decides; a price within 1e-6 tick of a midpoint between two ticks is decided exactly (bigint).
 * Accepts a decimal string, a finite positive number, or an exact fraction (e.g. from {@link tickToPriceFraction}).
 * @throws InvalidPriceError | InvalidDecimalsError | InvalidParameterError (the nearest tick outside the tick range)
 */
export function nearestTickForPrice(price: string | number | Fraction, orientation: PriceOrientation): number {
  assertValidDecimals(orientation)
  let lnPrice: number
  let exact: Fraction | undefined
  if (typeof price === 'number') {
    if (!Number.isFinite(price) || price <= 0) parsePositiveDecimal(price, 'price') // throws InvalidPriceError
    lnPrice = Math.log(price)
  } else {
    exact = typeof price === 'string' ? parsePositiveDecimal(price, 'price') : checkFraction(price)
    lnPrice = lnFraction(exact)
  }
  const decimalsShift = (orientation.decimals1 - orientation.decimals0) * LN10
  const lnRaw = orientation.baseToken === 'token0' ? lnPrice + decimalsShift : decimalsShift - lnPrice
  const estimate = lnRaw / LOG_TICK_BASE
  let tick = Math.round(estimate)
  const fromMidpoint = Math.abs(estimate - Math.floor(estimate) - 0.5)
  if (fromMidpoint < 1e-6) {
    // Near a midpoint: compare the raw price X = amount1·2^192/amount0 with ratio(t0)·ratio(t0+1) exactly.
    exact ??= parsePositiveDecimal(price as number, 'price')
    const scale0 = 10n ** BigInt(orientation.decimals0)
    const scale1 = 10n ** BigInt(orientation.decimals1)
    const [amount1, amount0] =
      orientation.baseToken === 'token0'
        ? [exact.numerator * scale1, exact.denominator * scale0]
        : [exact.denominator * scale1, exact.numerator * scale0]
    const lower = Math.floor(estimate)
    if (lower >= MIN_TICK && lower < MAX_TICK) {
      const midpoint = getSqrtRatioAtTick(lower) * getSqrtRatioAtTick(lower + 1)
      tick = amount1 << 192n >= midpoint * amount0 ? lower + 1 : lower
    }
  }
  if (!(tick >= MIN_TICK && tick <= MAX_TICK)) {
    throw new InvalidParameterError({
      field: 'price',
      value: typeof price === 'object' ? `${price.numerator}/${price.denominator}` : price,
      rule: `a price whose nearest tick is in [${MIN_TICK}, ${MAX_TICK}]`,
    })
  }
  return tick
}

function checkFraction(fraction: Fraction): Fraction {
  if (
    typeof fraction.numerator !== 'bigint' ||
    typeof fraction.denominator !== 'bigint' ||
    fraction.numerator <= 0n ||
    fraction.denominator <= 0n
  ) {
    throw new InvalidParameterError({
      field: 'price',
      value: `${String(fraction.numerator)}/${String(fraction.denominator)}`,
      rule: 'a fraction of two positive bigints',
    })
  }
  return fraction
}

/** ln(numerator / denominator) for bigints of any size (shifted into double range first). */
function lnFraction({ numerator, denominator }: Fraction): number {
  const shift = numerator.toString(16).length * 4 - denominator.toString(16).length * 4
  const scaled =
    shift >= 0
      ? fractionToNumber(numerator, denominator << BigInt(shift))
      : fractionToNumber(numerator << BigInt(-shift), denominator)
  return Math.log(scaled) + shift * Math.LN2
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
