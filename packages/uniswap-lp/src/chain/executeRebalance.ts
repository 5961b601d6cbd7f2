import type { TransactionReceipt } from 'ethers'
import { executeClosePosition } from './executeClosePosition.js'
import { type ExecuteMintReturnType, executeMint } from './executeMint.js'
import { type ExecuteSwapReturnType, executeSwapExactInputSingle } from './executeSwapExactInputSingle.js'
import type { ExecutionContext } from './executionContext.js'
import type { DecreasePlan } from './planDecrease.js'
import { planMint } from './planMint.js'
import type { PoolImmutables } from './readPoolImmutables.js'
import { readPoolState } from './readPoolState.js'

export type ExecuteRebalanceParameters = {
  pool: PoolImmutables
  /** The position to close (all its liquidity is removed, everything owed is collected, the NFT is burned). */
  tokenId: bigint
  /** The new range (must be aligned to the pool's tick spacing). */
  tickLower: number
  tickUpper: number
  /** Optional swap between the exit and the new mint (e.g. to match the new range's token ratio). */
  swap?: { zeroForOne: boolean; amountInRaw: bigint } | undefined
}

export type ExecuteRebalanceReturnType = {
  readonly exit: {
    readonly receipt: TransactionReceipt
    readonly plan: DecreasePlan | null
    /** Principal removed (DecreaseLiquidity event). */
    readonly decreased0Raw: bigint
    readonly decreased1Raw: bigint
    /** Principal + fees received (Collect event). */
    readonly collected0Raw: bigint
    readonly collected1Raw: bigint
  }
  readonly swap: ExecuteSwapReturnType | null
  readonly mint: ExecuteMintReturnType
}

export type ExecuteRebalanceErrorType =
  | import('./guardPool.js').GuardPoolErrorType
  | import('./sendGuardedTransaction.js').SendGuardedTransactionErrorType
  | import('./executeSwapExactInputSingle.js').ExecuteSwapErrorType
  | import('./executeMint.js').ExecuteMintErrorType
  | import('./planMint.js').PlanMintErrorType

/**
 * A full rebalance: (1) one NonfungiblePositionManager multicall that decreases all liquidity (slippage minimums),
 * collects principal + fees to the signer and burns the NFT; (2) an optional guarded swap; (3) a guarded mint of the
 * new range funded with exactly the freed amounts (after the swap), planned at the price read after the swap.
 * Each step re-runs the chain-id and TWAP guards; a failure leaves the earlier steps done (funds in the wallet).
 */
export async function executeRebalance(
  ctx: ExecutionContext,
  p: ExecuteRebalanceParameters,
): Promise<ExecuteRebalanceReturnType> {
  const exit = await executeClosePosition(ctx, { pool: p.pool, tokenId: p.tokenId })
  let amount0Raw = exit.collected0Raw
  let amount1Raw = exit.collected1Raw
  let swap: ExecuteSwapReturnType | null = null
  if (p.swap !== undefined) {
    swap = await executeSwapExactInputSingle(ctx, { pool: p.pool, ...p.swap })
    // The pool's deltas are from its side: paid in is positive, so the wallet changes by the negation.
    amount0Raw -= swap.amount0Raw
    amount1Raw -= swap.amount1Raw
  }

  const after = await readPoolState(ctx.provider, p.pool.pool)
  const mintPlan = planMint({
    pool: p.pool,
    sqrtPriceX96: after.sqrtPriceX96,
    tickCurrent: after.tick,
    tickLower: p.tickLower,
    tickUpper: p.tickUpper,
    amount0DesiredRaw: amount0Raw,
    amount1DesiredRaw: amount1Raw,
    slippageBps: ctx.guards.slippageBps,
  })
  const mint = await executeMint(ctx, mintPlan)
  return { exit, swap, mint }
}
