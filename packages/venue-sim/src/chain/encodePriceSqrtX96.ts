import { InvalidPoolParametersError } from '../errors/chain.js'

export type EncodePriceSqrtX96Parameters = {
  /** Human price as a decimal string: units of the other token for one `priceOf` token ("2269.75"). */
  price: string
  /** Which token `price` prices: 'token0' gives token1 per token0, 'token1' gives token0 per token1. */
  priceOf: 'token0' | 'token1'
  decimals0: number
  decimals1: number
}

export type EncodePriceSqrtX96ErrorType = InvalidPoolParametersError

/**
 * floor(sqrt(rawPrice) * 2^96) with rawPrice in token1 base units per token0 base unit, computed exactly with bigint:
 * the same integer as v3-sdk `encodeSqrtRatioX96(amount1, amount0)` for the equivalent amounts.
 */
export function encodePriceSqrtX96({ price, priceOf, decimals0, decimals1 }: EncodePriceSqrtX96Parameters): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(price)
  if (match === null)
    throw new InvalidPoolParametersError({ field: 'price', value: price, reason: 'not a decimal string' })
  const fraction = match[2] ?? ''
  const scaled = BigInt(`${match[1]}${fraction}`)
  if (scaled === 0n) throw new InvalidPoolParametersError({ field: 'price', value: price, reason: 'must be positive' })
  const fractionScale = 10n ** BigInt(fraction.length)
  // token1 base units per token0 base unit = amount1Raw / amount0Raw
  const [amount1Raw, amount0Raw] =
    priceOf === 'token0'
      ? [scaled * 10n ** BigInt(decimals1), fractionScale * 10n ** BigInt(decimals0)]
      : [fractionScale * 10n ** BigInt(decimals1), scaled * 10n ** BigInt(decimals0)]
  return sqrtFloor((amount1Raw << 192n) / amount0Raw)
}

/** floor(sqrt(n)) by Newton's method on bigint. */
export function sqrtFloor(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`sqrtFloor of a negative number ${n}`)
  if (n < 2n) return n
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2))
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) return x
    x = y
  }
}
