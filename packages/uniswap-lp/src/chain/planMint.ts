import { ZeroLiquidityError } from '../errors/liquidity.js'
import { getLiquidityForAmounts } from '../math/liquidityAmounts.js'
import { getModifyPositionAmounts } from '../math/modifyPositionAmounts.js'
import { getSqrtRatioAtTick } from '../math/tickMath.js'
import { assertValidRange } from '../math/tickSpacing.js'
import { applySlippage } from './applySlippage.js'
import type { PoolImmutables } from './readPoolImmutables.js'

export type PlanMintParameters = {
  pool: PoolImmutables
  /** The pool price the plan is made at (slot0 when planning). */
  sqrtPriceX96: bigint
  /** slot0.tick at the same moment (the pool picks the token side from the tick, not the price). */
  tickCurrent: number
  tickLower: number
  tickUpper: number
  amount0DesiredRaw: bigint
  amount1DesiredRaw: bigint
  slippageBps: number
}

/** A mint or increase, computed at one price; the executor sends exactly these numbers. */
export type MintPlan = {
  readonly pool: PoolImmutables
  readonly sqrtPriceX96: bigint
  readonly tickCurrent: number
  readonly tickLower: number
  readonly tickUpper: number
  readonly amount0DesiredRaw: bigint
  readonly amount1DesiredRaw: bigint
  /** `LiquidityAmounts.getLiquidityForAmounts` at the plan price: what the position manager will add. */
  readonly liquidity: bigint
  /** What the pool will take for `liquidity` at the plan price (`SqrtPriceMath.getAmount*Delta`, rounded up). */
  readonly amount0ExpectedRaw: bigint
  readonly amount1ExpectedRaw: bigint
  /** Expected × (1 − slippage): the contract reverts 'Price slippage check' below these. */
  readonly amount0MinRaw: bigint
  readonly amount1MinRaw: bigint
  readonly slippageBps: number
}

export type PlanMintErrorType =
  | ZeroLiquidityError
  | import('../errors/parameter.js').InvalidParameterError
  | import('../errors/tick.js').TickNotAlignedError

/**
 * Plans a mint (or increase) exactly as NonfungiblePositionManager will execute it at `sqrtPriceX96`: the liquidity
 * from the desired amounts, the amounts the pool takes (`getModifyPositionAmounts`: v3-core `Pool._modifyPosition`, rounded up), and the minimums.
 */
export function planMint(p: PlanMintParameters): MintPlan {
  assertValidRange(p.tickLower, p.tickUpper, p.pool.tickSpacing)
  const sqrtLowerX96 = getSqrtRatioAtTick(p.tickLower)
  const sqrtUpperX96 = getSqrtRatioAtTick(p.tickUpper)
  const liquidity = getLiquidityForAmounts(
    p.sqrtPriceX96,
    sqrtLowerX96,
    sqrtUpperX96,
    p.amount0DesiredRaw,
    p.amount1DesiredRaw,
  )
  if (liquidity === 0n) {
    throw new ZeroLiquidityError({
      field: 'liquidity',
      value: liquidity,
      next: `desired amounts ${p.amount0DesiredRaw}/${p.amount1DesiredRaw} fund no liquidity in [${p.tickLower}, ${p.tickUpper}) at this price; add the token the range needs.`,
    })
  }
  const taken = getModifyPositionAmounts({
    tickCurrent: p.tickCurrent,
    sqrtPriceX96: p.sqrtPriceX96,
    tickLower: p.tickLower,
    tickUpper: p.tickUpper,
    liquidityDelta: liquidity,
  })
  const amount0 = taken.amount0Raw
  const amount1 = taken.amount1Raw
  return {
    pool: p.pool,
    sqrtPriceX96: p.sqrtPriceX96,
    tickCurrent: p.tickCurrent,
    tickLower: p.tickLower,
    tickUpper: p.tickUpper,
    amount0DesiredRaw: p.amount0DesiredRaw,
    amount1DesiredRaw: p.amount1DesiredRaw,
    liquidity,
    amount0ExpectedRaw: amount0,
    amount1ExpectedRaw: amount1,
    amount0MinRaw: applySlippage(amount0, p.slippageBps),
    amount1MinRaw: applySlippage(amount1, p.slippageBps),
    slippageBps: p.slippageBps,
  }
}
