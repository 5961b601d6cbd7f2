import { InvalidAmountError } from '../errors/liquidity.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { Q192 } from '../math/constants.js'
import { fractionToNumber } from '../math/fraction.js'
import { mulDiv } from '../math/fullMath.js'

export type InventoryDeviation = {
  /** amount0 valued in token1 at the pool price, raw token1 units (rounded down). */
  value0InToken1Raw: bigint
  /** amount0 (valued in token1) + amount1, raw token1 units. */
  totalValueInToken1Raw: bigint
  /** Share of the value held in the base token, in [0, 1]; 0 when the total value is 0. */
  baseShare: number
  /** baseShare − targetBaseShare, in [−1, 1]: > 0 means too much base token. */
  deviation: number
}

/**
 * Values both holdings in token1 at `sqrtPriceX96` (exact bigint, decimals cancel out in raw units) and compares the
 * base token's share with the target (0.5 = half the value in each token, the Hummingbot/Charm default).
 * @throws InvalidAmountError for negative amounts; InvalidParameterError for a target outside [0, 1].
 */
export function computeInventoryDeviation(parameters: {
  amount0Raw: bigint
  amount1Raw: bigint
  sqrtPriceX96: bigint
  baseToken: 'token0' | 'token1'
  targetBaseShare: number
}): InventoryDeviation {
  const { amount0Raw, amount1Raw, sqrtPriceX96, baseToken, targetBaseShare } = parameters
  if (amount0Raw < 0n) throw new InvalidAmountError({ field: 'amount0Raw', value: amount0Raw, rule: '>= 0' })
  if (amount1Raw < 0n) throw new InvalidAmountError({ field: 'amount1Raw', value: amount1Raw, rule: '>= 0' })
  if (!(targetBaseShare >= 0 && targetBaseShare <= 1)) {
    throw new InvalidParameterError({ field: 'targetBaseShare', value: targetBaseShare, rule: 'in [0, 1]' })
  }
  const value0InToken1Raw = mulDiv(amount0Raw, sqrtPriceX96 * sqrtPriceX96, Q192) // one floor, exact
  const totalValueInToken1Raw = value0InToken1Raw + amount1Raw
  const baseValue = baseToken === 'token0' ? value0InToken1Raw : amount1Raw
  const baseShare = totalValueInToken1Raw === 0n ? 0 : fractionToNumber(baseValue, totalValueInToken1Raw)
  return { value0InToken1Raw, totalValueInToken1Raw, baseShare, deviation: baseShare - targetBaseShare }
}
