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

export type ExecuteMintReturnType = {
  readonly receipt: TransactionReceipt
  readonly tokenId: bigint
  readonly liquidity: bigint
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type ExecuteMintErrorType =
  | import('./guardPool.js').GuardPoolErrorType
  | import('./assertBalances.js').AssertBalancesErrorType
  | import('./sendGuardedTransaction.js').SendGuardedTransactionErrorType

/**
 * Mints a new NFT position from a `MintPlan` through NonfungiblePositionManager.mint, with every guard: chain id,
 * TWAP deviation, balances, the plan's slippage minimums, a deadline, dry run, padded gas. The signer receives the NFT.
 */
export async function executeMint(ctx: ExecutionContext, plan: MintPlan): Promise<ExecuteMintReturnType> {
  await guardPool(ctx, plan.pool.pool)
  const owner = await ctx.signer.getAddress()
  await assertBalances(ctx.provider, owner, [
    { token: plan.pool.token0, amountRaw: plan.amount0DesiredRaw },
    { token: plan.pool.token1, amountRaw: plan.amount1DesiredRaw },
  ])
  const deadline = await readDeadline(ctx.provider, ctx.guards.deadlineSec, { nowMs: ctx.nowMs })
  const data = positionManagerInterface.encodeFunctionData('mint', [
    {
      token0: plan.pool.token0,
      token1: plan.pool.token1,
      fee: plan.pool.feePips,
      tickLower: plan.tickLower,
      tickUpper: plan.tickUpper,
      amount0Desired: plan.amount0DesiredRaw,
      amount1Desired: plan.amount1DesiredRaw,
      amount0Min: plan.amount0MinRaw,
      amount1Min: plan.amount1MinRaw,
      recipient: owner,
      deadline,
    },
  ])
  const receipt = await sendGuardedTransaction(ctx, { to: ctx.positionManager, data, action: 'mint' })
  const events = parseManagerEvents(receipt, ctx.positionManager)
  const increase = events.increase[0]
  if (increase === undefined) {
    throw new TransactionRevertedError({
      action: 'mint',
      stage: 'mined',
      reason: 'no IncreaseLiquidity event',
      txHash: receipt.hash,
    })
  }
  return { receipt, ...increase }
}
