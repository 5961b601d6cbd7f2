import { FEE_PIPS_DENOMINATOR } from './constants.js'
import { mulDiv, mulDivRoundingUp } from './fullMath.js'
import {
  getAmount0Delta,
  getAmount1Delta,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from './sqrtPriceMath.js'

export type ComputeSwapStepReturnType = {
  /** Price after the step (equals the target when the step reached it). */
  sqrtRatioNextX96: bigint
  /** Input paid into the pool, excluding the fee. */
  amountIn: bigint
  /** Output taken from the pool. */
  amountOut: bigint
  /** Fee paid on top of amountIn (in the input token). */
  feeAmount: bigint
}

/**
 * `SwapMath.computeSwapStep` (v3-core 1.0): one swap step within a single initialized-tick interval.
 * `amountRemaining` >= 0 means exact input, < 0 exact output; `feePips` in hundredths of a bip (3000 = 0.3 %).
 */
export function computeSwapStep(
  sqrtRatioCurrentX96: bigint,
  sqrtRatioTargetX96: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  feePips: number,
): ComputeSwapStepReturnType {
  const fee = BigInt(feePips)
  const zeroForOne = sqrtRatioCurrentX96 >= sqrtRatioTargetX96
  const exactIn = amountRemaining >= 0n
  let sqrtRatioNextX96: bigint
  let amountIn = 0n
  let amountOut = 0n

  if (exactIn) {
    const amountRemainingLessFee = mulDiv(amountRemaining, FEE_PIPS_DENOMINATOR - fee, FEE_PIPS_DENOMINATOR)
    amountIn = zeroForOne
      ? getAmount0Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, true)
      : getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, true)
    sqrtRatioNextX96 =
      amountRemainingLessFee >= amountIn
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromInput(sqrtRatioCurrentX96, liquidity, amountRemainingLessFee, zeroForOne)
  } else {
    amountOut = zeroForOne
      ? getAmount1Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, false)
      : getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, false)
    sqrtRatioNextX96 =
      -amountRemaining >= amountOut
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromOutput(sqrtRatioCurrentX96, liquidity, -amountRemaining, zeroForOne)
  }

  const reachedTarget = sqrtRatioTargetX96 === sqrtRatioNextX96
  if (zeroForOne) {
    if (!(reachedTarget && exactIn)) amountIn = getAmount0Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, true)
    if (!(reachedTarget && !exactIn)) {
      amountOut = getAmount1Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, false)
    }
  } else {
    if (!(reachedTarget && exactIn)) amountIn = getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, true)
    if (!(reachedTarget && !exactIn)) {
      amountOut = getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, false)
    }
  }

  // Exact output: never pay out more than was asked for.
  if (!exactIn && amountOut > -amountRemaining) amountOut = -amountRemaining

  const feeAmount =
    exactIn && sqrtRatioNextX96 !== sqrtRatioTargetX96
      ? amountRemaining - amountIn // the remainder of the input is taken as fee
      : mulDivRoundingUp(amountIn, fee, FEE_PIPS_DENOMINATOR - fee)

  return { sqrtRatioNextX96, amountIn, amountOut, feeAmount }
}
