import { computeSwapStep, getNextSqrtPriceFromInput, getNextSqrtPriceFromOutput } from '@alp/uniswap-lp'

const MAX_UINT256 = (1n << 256n) - 1n
const Q96_MASK = (1n << 96n) - 1n
const FEE_PIPS_DENOMINATOR = 1_000_000n

/** The result of one swap step, written in place (the swap loop reuses one record: no allocation per step). */
export type SwapStepResult = { sqrtRatioNextX96: bigint; amountIn: bigint; amountOut: bigint; feeAmount: bigint }

/** `SqrtPriceMath.getAmount0Delta` for sqrtLowerX96 ≤ sqrtUpperX96, both > 0: one multiply replaces each remainder. */
function amount0Delta(sqrtLowerX96: bigint, sqrtUpperX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  const numerator1 = liquidity << 96n
  const product = numerator1 * (sqrtUpperX96 - sqrtLowerX96)
  let q = product / sqrtUpperX96
  if (!roundUp) return q / sqrtLowerX96
  // FullMath.mulDivRoundingUp then UnsafeMath.divRoundingUp; operands are ≥ 0, so "remainder > 0" ⇔ q·d ≠ n.
  if (q * sqrtUpperX96 !== product) q += 1n
  const r = q / sqrtLowerX96
  return r * sqrtLowerX96 !== q ? r + 1n : r
}

/** `SqrtPriceMath.getAmount1Delta` for sqrtLowerX96 ≤ sqrtUpperX96 (< 2^160, liquidity < 2^128: never > uint256). */
function amount1Delta(sqrtLowerX96: bigint, sqrtUpperX96: bigint, liquidity: bigint, roundUp: boolean): bigint {
  const product = liquidity * (sqrtUpperX96 - sqrtLowerX96)
  return roundUp && (product & Q96_MASK) !== 0n ? (product >> 96n) + 1n : product >> 96n
}

/**
 * `SwapMath.computeSwapStep` (v3-core) for the simulator's swap loop, computing exactly what `computeSwapStep` of
 * `@alp/uniswap-lp` computes (tested against it on random inputs) with fewer bigint divisions: rounding up is decided by
 * a multiply-back instead of a second division, the fee complement is precomputed by the caller and the result is
 * written into `out`. Inputs outside the pool's invariants (a price ≤ 0, liquidity ≥ 2^128, a fee ≥ 10^6) take the
 * library function, so errors stay the library's.
 * @param feeComplementPips `10^6 − feePips` as a bigint.
 */
export function computeSwapStepFast(
  out: SwapStepResult,
  sqrtRatioCurrentX96: bigint,
  sqrtRatioTargetX96: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  feePips: number,
  feePipsBig: bigint,
  feeComplementPips: bigint,
): void {
  if (sqrtRatioCurrentX96 <= 0n || sqrtRatioTargetX96 <= 0n || liquidity < 0n || liquidity >> 128n !== 0n) {
    const step = computeSwapStep(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, amountRemaining, feePips)
    out.sqrtRatioNextX96 = step.sqrtRatioNextX96
    out.amountIn = step.amountIn
    out.amountOut = step.amountOut
    out.feeAmount = step.feeAmount
    return
  }
  const zeroForOne = sqrtRatioCurrentX96 >= sqrtRatioTargetX96
  const exactIn = amountRemaining >= 0n
  let sqrtRatioNextX96: bigint
  let amountIn = 0n
  let amountOut = 0n
  if (exactIn) {
    // FullMath.mulDiv(amountRemaining, 1e6 − fee, 1e6): the result ≤ amountRemaining, never > uint256.
    const amountRemainingLessFee = (amountRemaining * feeComplementPips) / FEE_PIPS_DENOMINATOR
    amountIn = zeroForOne
      ? amount0Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, true)
      : amount1Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, true)
    sqrtRatioNextX96 =
      amountRemainingLessFee >= amountIn
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromInput(sqrtRatioCurrentX96, liquidity, amountRemainingLessFee, zeroForOne)
  } else {
    amountOut = zeroForOne
      ? amount1Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, false)
      : amount0Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, false)
    sqrtRatioNextX96 =
      -amountRemaining >= amountOut
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromOutput(sqrtRatioCurrentX96, liquidity, -amountRemaining, zeroForOne)
  }
  if (sqrtRatioNextX96 <= 0n) {
    // Unreachable inside the pool's price bounds; the library reverts here with its own error.
    computeSwapStep(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, amountRemaining, feePips)
  }
  const reachedTarget = sqrtRatioTargetX96 === sqrtRatioNextX96
  if (zeroForOne) {
    if (!(reachedTarget && exactIn)) amountIn = amount0Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, true)
    if (!(reachedTarget && !exactIn)) amountOut = amount1Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, false)
  } else {
    if (!(reachedTarget && exactIn)) amountIn = amount1Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, true)
    if (!(reachedTarget && !exactIn)) amountOut = amount0Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, false)
  }
  if (!exactIn && amountOut > -amountRemaining) amountOut = -amountRemaining
  let feeAmount: bigint
  if (exactIn && sqrtRatioNextX96 !== sqrtRatioTargetX96) feeAmount = amountRemaining - amountIn
  else {
    // FullMath.mulDivRoundingUp(amountIn, fee, 1e6 − fee).
    const product = amountIn * feePipsBig
    feeAmount = product / feeComplementPips
    if (feeAmount * feeComplementPips !== product) feeAmount += 1n
    if (feeAmount > MAX_UINT256) {
      const step = computeSwapStep(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, amountRemaining, feePips)
      feeAmount = step.feeAmount
    }
  }
  out.sqrtRatioNextX96 = sqrtRatioNextX96
  out.amountIn = amountIn
  out.amountOut = amountOut
  out.feeAmount = feeAmount
}
