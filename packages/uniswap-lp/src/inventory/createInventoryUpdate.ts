import { formatUnits } from 'ethers'
import { InvalidParameterError } from '../errors/parameter.js'
import { Q192 } from '../math/constants.js'
import { parsePositiveDecimal } from '../math/fraction.js'
import { type UsdPrices, valueInUsd } from '../valuation/valueInUsd.js'
import { computeInventoryDeviation } from './computeInventoryDeviation.js'
import type { InventoryUpdate } from './types.js'

export type CreateInventoryUpdateParameters = {
  source: string
  seq: number
  tsMs: number
  decimals0: number
  decimals1: number
  baseToken: 'token0' | 'token1'
  targetBaseShare: number
  /** Total holdings (positions + uncollected fees + idle), raw units. */
  amount0Raw: bigint
  amount1Raw: bigint
  sqrtPriceX96: bigint
  prices: UsdPrices
}

/**
 * Builds the serialisable inventory payload (pure). `excessBase` is exact: base held minus target × total value
 * expressed in base, at the pool price, truncated toward zero to the base token's base unit.
 * @throws InvalidParameterError | InvalidAmountError | InvalidDecimalsError | InvalidPriceError
 */
export function createInventoryUpdate(p: CreateInventoryUpdateParameters): InventoryUpdate {
  if (!Number.isInteger(p.seq) || p.seq < 1)
    throw new InvalidParameterError({ field: 'seq', value: p.seq, rule: 'an integer >= 1' })
  if (!Number.isFinite(p.tsMs)) throw new InvalidParameterError({ field: 'tsMs', value: p.tsMs, rule: 'finite' })
  if (p.sqrtPriceX96 <= 0n)
    throw new InvalidParameterError({ field: 'sqrtPriceX96', value: p.sqrtPriceX96, rule: '> 0' })
  const usd = valueInUsd({
    amount0Raw: p.amount0Raw,
    amount1Raw: p.amount1Raw,
    decimals0: p.decimals0,
    decimals1: p.decimals1,
    prices: p.prices,
    usdDecimals: 6,
  })
  const deviation = computeInventoryDeviation({
    amount0Raw: p.amount0Raw,
    amount1Raw: p.amount1Raw,
    sqrtPriceX96: p.sqrtPriceX96,
    baseToken: p.baseToken,
    targetBaseShare: p.targetBaseShare,
  })
  // target as an exact fraction t = tn/td (0 is allowed).
  const [tn, td] =
    p.targetBaseShare === 0
      ? [0n, 1n]
      : (({ numerator, denominator }) => [numerator, denominator])(
          parsePositiveDecimal(p.targetBaseShare, 'targetBaseShare'),
        )
  const priceX192 = p.sqrtPriceX96 * p.sqrtPriceX96
  let excessBaseRaw: bigint
  if (p.baseToken === 'token1') {
    // excess1 = a1 − t·(a0·P + a1) with P = priceX192/2^192
    const num = p.amount1Raw * td * Q192 - tn * (p.amount0Raw * priceX192 + p.amount1Raw * Q192)
    excessBaseRaw = num / (td * Q192)
  } else {
    // excess0 = a0 − t·(a0 + a1/P)
    const num = p.amount0Raw * td * priceX192 - tn * (p.amount0Raw * priceX192 + p.amount1Raw * Q192)
    excessBaseRaw = num / (td * priceX192)
  }
  const token = (decimals: number, raw: bigint) => ({
    decimals,
    amountRaw: raw.toString(),
    amount: formatUnits(raw, decimals),
  })
  return {
    type: 'lp.inventory',
    version: 1,
    source: p.source,
    seq: p.seq,
    tsMs: p.tsMs,
    token0: token(p.decimals0, p.amount0Raw),
    token1: token(p.decimals1, p.amount1Raw),
    baseToken: p.baseToken,
    sqrtPriceX96: p.sqrtPriceX96.toString(),
    valueUsd: usd.usd,
    usdPrice0: p.prices.token0,
    usdPrice1: p.prices.token1,
    baseShare: deviation.baseShare,
    targetBaseShare: p.targetBaseShare,
    deviation: deviation.deviation,
    excessBase: formatUnits(excessBaseRaw, p.baseToken === 'token0' ? p.decimals0 : p.decimals1),
  }
}
