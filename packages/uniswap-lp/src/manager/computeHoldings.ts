import { getAmountsForLiquidity } from '../math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../math/tickMath.js'
import { getUncollectedFees } from '../valuation/getUncollectedFees.js'
import type { ChainHoldingsRead } from './readChainHoldings.js'

export type HeldPosition = {
  readonly tokenId: string
  readonly tickLower: number
  readonly tickUpper: number
  readonly liquidity: bigint
  /** Principal at the pool price (what a burn would return, rounded down). */
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
  /** Fees a collect would pay now (exact fee-growth computation, valuation/getUncollectedFees). */
  readonly fees0Raw: bigint
  readonly fees1Raw: bigint
}

/** Total holdings at one block: wallet + every position's principal + uncollected fees. */
export type Holdings = {
  readonly blockNumber: number
  readonly sqrtPriceX96: bigint
  readonly tick: number
  readonly wallet0Raw: bigint
  readonly wallet1Raw: bigint
  readonly positions: readonly HeldPosition[]
  readonly fees0Raw: bigint
  readonly fees1Raw: bigint
  /** wallet + principal + fees. */
  readonly total0Raw: bigint
  readonly total1Raw: bigint
}

/** Holdings from one block's reads (pure, exact). Positions with no liquidity and no fees owed are left out. */
export function computeHoldings(read: ChainHoldingsRead): Holdings {
  let total0Raw = read.wallet0Raw
  let total1Raw = read.wallet1Raw
  let fees0Raw = 0n
  let fees1Raw = 0n
  const positions: HeldPosition[] = []
  for (const p of read.positions) {
    const amounts = getAmountsForLiquidity(
      read.sqrtPriceX96,
      getSqrtRatioAtTick(p.tickLower),
      getSqrtRatioAtTick(p.tickUpper),
      p.liquidity,
    )
    const fees = getUncollectedFees({
      liquidity: p.liquidity,
      tickLower: p.tickLower,
      tickUpper: p.tickUpper,
      tickCurrent: read.tick,
      feeGrowthGlobal0X128: read.feeGrowthGlobal0X128,
      feeGrowthGlobal1X128: read.feeGrowthGlobal1X128,
      lower: read.ticks[p.tickLower]!,
      upper: read.ticks[p.tickUpper]!,
      feeGrowthInside0LastX128: p.feeGrowthInside0LastX128,
      feeGrowthInside1LastX128: p.feeGrowthInside1LastX128,
      tokensOwed0: p.tokensOwed0,
      tokensOwed1: p.tokensOwed1,
    })
    if (p.liquidity === 0n && fees.fees0Raw === 0n && fees.fees1Raw === 0n) continue
    positions.push({
      tokenId: p.tokenId.toString(),
      tickLower: p.tickLower,
      tickUpper: p.tickUpper,
      liquidity: p.liquidity,
      amount0Raw: amounts.amount0,
      amount1Raw: amounts.amount1,
      fees0Raw: fees.fees0Raw,
      fees1Raw: fees.fees1Raw,
    })
    total0Raw += amounts.amount0 + fees.fees0Raw
    total1Raw += amounts.amount1 + fees.fees1Raw
    fees0Raw += fees.fees0Raw
    fees1Raw += fees.fees1Raw
  }
  return {
    blockNumber: read.blockNumber,
    sqrtPriceX96: read.sqrtPriceX96,
    tick: read.tick,
    wallet0Raw: read.wallet0Raw,
    wallet1Raw: read.wallet1Raw,
    positions,
    fees0Raw,
    fees1Raw,
    total0Raw,
    total1Raw,
  }
}

/** true when two holdings differ in anything published (amounts, fees, price, positions). */
export function holdingsChanged(a: Holdings | null, b: Holdings): boolean {
  if (a === null) return true
  if (a.total0Raw !== b.total0Raw || a.total1Raw !== b.total1Raw || a.sqrtPriceX96 !== b.sqrtPriceX96) return true
  if (a.positions.length !== b.positions.length) return true
  return a.positions.some((p, i) => {
    const q = b.positions[i]!
    return (
      p.tokenId !== q.tokenId || p.liquidity !== q.liquidity || p.fees0Raw !== q.fees0Raw || p.fees1Raw !== q.fees1Raw
    )
  })
}
