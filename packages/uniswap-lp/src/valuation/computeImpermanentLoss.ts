import { fractionToNumber } from '../math/fraction.js'
import { valueInToken1 } from './valueInToken1.js'

export type ImpermanentLoss = {
  /** Value of the tokens if they had been held instead, token1 raw units. */
  holdValueInToken1Raw: bigint
  /** Value of the position's principal now (fees excluded), token1 raw units. */
  positionValueInToken1Raw: bigint
  /** position − hold: ≤ 0 for a loss (a v3 position in or through its range never beats holding on principal). */
  impermanentLossInToken1Raw: bigint
  /** (position − hold)/hold, e.g. −0.0057 for −0.57 %; 0 when hold is 0. */
  impermanentLossFraction: number
}

/**
 * Impermanent loss versus holding the deposited amounts, both valued at the same current price (exact bigint).
 * `deposited*` are the amounts put into the position, `current*` what the position holds now (getAmountsForLiquidity).
 */
export function computeImpermanentLoss(parameters: {
  deposited0Raw: bigint
  deposited1Raw: bigint
  current0Raw: bigint
  current1Raw: bigint
  sqrtPriceX96: bigint
}): ImpermanentLoss {
  const { deposited0Raw, deposited1Raw, current0Raw, current1Raw, sqrtPriceX96 } = parameters
  const holdValueInToken1Raw = valueInToken1(deposited0Raw, deposited1Raw, sqrtPriceX96)
  const positionValueInToken1Raw = valueInToken1(current0Raw, current1Raw, sqrtPriceX96)
  const impermanentLossInToken1Raw = positionValueInToken1Raw - holdValueInToken1Raw
  const impermanentLossFraction =
    holdValueInToken1Raw === 0n
      ? 0
      : impermanentLossInToken1Raw < 0n
        ? -fractionToNumber(-impermanentLossInToken1Raw, holdValueInToken1Raw)
        : fractionToNumber(impermanentLossInToken1Raw, holdValueInToken1Raw)
  return { holdValueInToken1Raw, positionValueInToken1Raw, impermanentLossInToken1Raw, impermanentLossFraction }
}
