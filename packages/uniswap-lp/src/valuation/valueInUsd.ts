import { InvalidAmountError } from '../errors/liquidity.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { fractionToNumber, parsePositiveDecimal } from '../math/fraction.js'
import { assertValidDecimals } from '../math/priceTick.js'

/** USD per whole token, as decimal strings (e.g. from a CEX mid or an oracle). A price source supplies these. */
export type UsdPrices = { token0: string; token1: string }

/** Anything that can price the pool's two tokens in USD at a moment (CEX mid, oracle, the pool plus a stablecoin). */
export type UsdPriceSource = { getUsdPrices(tsMs: number): UsdPrices }

export type UsdValue = {
  /** Exact value rounded DOWN to `usdDecimals` digits, as a decimal string. */
  usd: string
  /** The same value as the nearest double (for reports and models). */
  usdNumber: number
}

/**
 * USD value of raw token amounts: amount0/10^d0 · usd0 + amount1/10^d1 · usd1, computed as one exact fraction.
 * @throws InvalidAmountError | InvalidPriceError | InvalidDecimalsError | InvalidParameterError
 */
export function valueInUsd(parameters: {
  amount0Raw: bigint
  amount1Raw: bigint
  decimals0: number
  decimals1: number
  prices: UsdPrices
  usdDecimals: number
}): UsdValue {
  const { amount0Raw, amount1Raw, decimals0, decimals1, prices, usdDecimals } = parameters
  assertValidDecimals({ baseToken: 'token0', decimals0, decimals1 })
  if (amount0Raw < 0n) throw new InvalidAmountError({ field: 'amount0Raw', value: amount0Raw, rule: '>= 0' })
  if (amount1Raw < 0n) throw new InvalidAmountError({ field: 'amount1Raw', value: amount1Raw, rule: '>= 0' })
  if (!Number.isInteger(usdDecimals) || usdDecimals < 0 || usdDecimals > 36) {
    throw new InvalidParameterError({ field: 'usdDecimals', value: usdDecimals, rule: 'an integer in [0, 36]' })
  }
  const p0 = parsePositiveDecimal(prices.token0, 'prices.token0')
  const p1 = parsePositiveDecimal(prices.token1, 'prices.token1')
  // amount0·n0/(d0·10^dec0) + amount1·n1/(d1·10^dec1) over a common denominator.
  const den0 = p0.denominator * 10n ** BigInt(decimals0)
  const den1 = p1.denominator * 10n ** BigInt(decimals1)
  const numerator = amount0Raw * p0.numerator * den1 + amount1Raw * p1.numerator * den0
  const denominator = den0 * den1
  const scaled = (numerator * 10n ** BigInt(usdDecimals)) / denominator
  const digits = scaled.toString().padStart(usdDecimals + 1, '0')
  const usd = usdDecimals === 0 ? digits : `${digits.slice(0, -usdDecimals)}.${digits.slice(-usdDecimals)}`
  return { usd, usdNumber: fractionToNumber(numerator, denominator) }
}
