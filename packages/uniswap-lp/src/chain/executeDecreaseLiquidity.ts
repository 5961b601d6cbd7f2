import type { TransactionReceipt } from 'ethers'
import { TransactionRevertedError } from '../errors/chain.js'
import type { ExecutionContext } from './executionContext.js'
import { guardPool } from './guardPool.js'
import { positionManagerInterface } from './interfaces.js'
import { parseManagerEvents } from './parseManagerEvents.js'
import type { DecreasePlan } from './planDecrease.js'
import { readDeadline } from './readDeadline.js'
import { sendGuardedTransaction } from './sendGuardedTransaction.js'

export type ExecuteDecreaseLiquidityReturnType = {
  readonly receipt: TransactionReceipt
  /** Credited to the position's tokensOwed (call `executeCollect` to receive them). */
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type ExecuteDecreaseLiquidityErrorType =
  | import('./guardPool.js').GuardPoolErrorType
  | import('./sendGuardedTransaction.js').SendGuardedTransactionErrorType

/** Removes liquidity per a `DecreasePlan` (minimums from the slippage tolerance), fully guarded. */
export async function executeDecreaseLiquidity(
  ctx: ExecutionContext,
  p: { pool: string; plan: DecreasePlan },
): Promise<ExecuteDecreaseLiquidityReturnType> {
  await guardPool(ctx, p.pool)
  const data = positionManagerInterface.encodeFunctionData('decreaseLiquidity', [
    {
      tokenId: p.plan.tokenId,
      liquidity: p.plan.liquidity,
      amount0Min: p.plan.amount0MinRaw,
      amount1Min: p.plan.amount1MinRaw,
      deadline: await readDeadline(ctx.provider, ctx.guards.deadlineSec, { nowMs: ctx.nowMs }),
    },
  ])
  const receipt = await sendGuardedTransaction(ctx, { to: ctx.positionManager, data, action: 'decreaseLiquidity' })
  const decrease = parseManagerEvents(receipt, ctx.positionManager).decrease[0]
  if (decrease === undefined) {
    throw new TransactionRevertedError({
      action: 'decreaseLiquidity',
      stage: 'mined',
      reason: 'no DecreaseLiquidity event',
      txHash: receipt.hash,
    })
  }
  return { receipt, amount0Raw: decrease.amount0Raw, amount1Raw: decrease.amount1Raw }
}
