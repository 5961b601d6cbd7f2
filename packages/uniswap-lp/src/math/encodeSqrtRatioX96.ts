import { InvalidAmountError } from '../errors/liquidity.js'
import { sqrt } from './sqrt.js'

/**
 * sqrt(amount1 / amount0) as a Q64.96, i.e. floor(√(amount1·2^192 / amount0)) — the same result as
 * @uniswap/v3-sdk `encodeSqrtRatioX96(amount1, amount0)`. Amounts are raw token units (a price token1/token0).
 */
export function encodeSqrtRatioX96(amount1: bigint, amount0: bigint): bigint {
  if (amount0 <= 0n) throw new InvalidAmountError({ field: 'amount0', value: amount0, rule: '> 0' })
  if (amount1 < 0n) throw new InvalidAmountError({ field: 'amount1', value: amount1, rule: '>= 0' })
  return sqrt((amount1 << 192n) / amount0)
}
