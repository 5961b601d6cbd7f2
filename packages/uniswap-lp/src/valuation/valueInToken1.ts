import { Q192 } from '../math/constants.js'
import { mulDiv } from '../math/fullMath.js'

/** amount0·P + amount1 with P = sqrtPriceX96²/2^192 (token1 raw per token0 raw), rounded down once, exact. */
export function valueInToken1(amount0Raw: bigint, amount1Raw: bigint, sqrtPriceX96: bigint): bigint {
  return mulDiv(amount0Raw, sqrtPriceX96 * sqrtPriceX96, Q192) + amount1Raw
}
