import { InvalidAmountError } from '../errors/liquidity.js'
import { getAmountsForLiquidity } from '../math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../math/tickMath.js'
import { applySlippage } from './applySlippage.js'

export type DecreasePlan = {
  readonly tokenId: bigint
  readonly sqrtPriceX96: bigint
  readonly liquidity: bigint
  /** What the pool returns for `liquidity` at the plan price (`getAmountsForLiquidity`, rounded down). */
  readonly amount0ExpectedRaw: bigint
  readonly amount1ExpectedRaw: bigint
  readonly amount0MinRaw: bigint
  readonly amount1MinRaw: bigint
  readonly slippageBps: number
}

export type PlanDecreaseErrorType = InvalidAmountError | import('../errors/parameter.js').InvalidParameterError

/** Plans removing `liquidity` from a position at `sqrtPriceX96`, with minimums from the slippage tolerance. */
export function planDecrease(p: {
  tokenId: bigint
  tickLower: number
  tickUpper: number
  positionLiquidity: bigint
  liquidity: bigint
  sqrtPriceX96: bigint
  slippageBps: number
}): DecreasePlan {
  if (p.liquidity <= 0n || p.liquidity > p.positionLiquidity) {
    throw new InvalidAmountError({ field: 'liquidity', value: p.liquidity, rule: `in (0, ${p.positionLiquidity}]` })
  }
  const { amount0, amount1 } = getAmountsForLiquidity(
    p.sqrtPriceX96,
    getSqrtRatioAtTick(p.tickLower),
    getSqrtRatioAtTick(p.tickUpper),
    p.liquidity,
  )
  return {
    tokenId: p.tokenId,
    sqrtPriceX96: p.sqrtPriceX96,
    liquidity: p.liquidity,
    amount0ExpectedRaw: amount0,
    amount1ExpectedRaw: amount1,
    amount0MinRaw: applySlippage(amount0, p.slippageBps),
    amount1MinRaw: applySlippage(amount1, p.slippageBps),
    slippageBps: p.slippageBps,
  }
}
