/** 2^96: the scale of Q64.96 fixed-point values (`sqrtPriceX96`). */
export const Q96 = 1n << 96n
/** 2^128: the scale of Q128.128 fee growth accumulators (`feeGrowthGlobal0X128`). */
export const Q128 = 1n << 128n
/** 2^192 = Q96²: the scale of a squared sqrt price (`priceX192`). */
export const Q192 = 1n << 192n
/** 2^256 − 1: `type(uint256).max`. */
export const MAX_UINT256 = (1n << 256n) - 1n
/** 2^160 − 1: `type(uint160).max`. */
export const MAX_UINT160 = (1n << 160n) - 1n
/** 2^128 − 1: `type(uint128).max` (liquidity, tokensOwed). */
export const MAX_UINT128 = (1n << 128n) - 1n
/** 2^255 − 1: `type(int256).max`. */
export const MAX_INT256 = (1n << 255n) - 1n
/** 1e6: the fee denominator (fees are in pips, 500 = 0.05 %). */
export const FEE_PIPS_DENOMINATOR = 1_000_000n
