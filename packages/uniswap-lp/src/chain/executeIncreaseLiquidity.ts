import type { TransactionReceipt } from 'ethers'
import { TransactionRevertedError } from '../errors/chain.js'
import { assertBalances } from './assertBalances.js'
import type { ExecutionContext } from './executionContext.js'
import { guardPool } from './guardPool.js'
import { positionManagerInterface } from './interfaces.js'
import { parseManagerEvents } from './parseManagerEvents.js'
import type { MintPlan } from './planMint.js'
import { readDeadline } from './readDeadline.js'
import { sendGuardedTransaction } from './sendGuardedTransaction.js'

export type ExecuteIncreaseLiquidityReturnType = {
  readonly receipt: TransactionReceipt
  readonly liquidity: bigint
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type ExecuteIncreaseLiquidityErrorType = import('./executeMint.js').ExecuteMintErrorType

/** Adds liquidity to an existing position (plan its range with `planMint` on the position's ticks), fully guarded. */
export async function executeIncreaseLiquidity(
  ctx: ExecutionContext,
  p: { tokenId: bigint; plan: MintPlan },
): Promise<ExecuteIncreaseLiquidityReturnType> {
  const { plan } = p
  await guardPool(ctx, plan.pool.pool)
  const owner = await ctx.signer.getAddress()
  await assertBalances(ctx.provider, owner, [
    { token: plan.pool.token0, amountRaw: plan.amount0DesiredRaw },
    { token: plan.pool.token1, amountRaw: plan.amount1DesiredRaw },
  ])
  const deadline = await readDeadline(ctx.provider, ctx.guards.deadlineSec, { nowMs: ctx.nowMs })
  const data = positionManagerInterface.encodeFunctionData('increaseLiquidity', [
    {
      tokenId: p.tokenId,
      amount0Desired: plan.amount0DesiredRaw,
      amount1Desired: plan.amount1DesiredRaw,
      amount0Min: plan.amount0MinRaw,
      amount1Min: plan.amount1MinRaw,
      deadline,
    },
  ])
  const receipt = await sendGuardedTransaction(ctx, { to: ctx.positionManager, data, action: 'increaseLiquidity' })
  const increase = parseManagerEvents(receipt, ctx.positionManager).increase[0]
  if (increase === undefined) {
    throw new TransactionRevertedError({
      action: 'increaseLiquidity',
      stage: 'mined',
      reason: 'no IncreaseLiquidity event',
      txHash: receipt.hash,
    })
  }
  return { receipt, liquidity: increase.liquidity, amount0Raw: increase.amount0Raw, amount1Raw: increase.amount1Raw }
}
