import type { TransactionReceipt } from 'ethers'
import { TransactionRevertedError } from '../errors/chain.js'
import { MAX_UINT128 } from '../math/constants.js'
import type { ExecutionContext } from './executionContext.js'
import { guardPool } from './guardPool.js'
import { positionManagerInterface } from './interfaces.js'
import { type ManagerEvents, parseManagerEvents } from './parseManagerEvents.js'
import { type DecreasePlan, planDecrease } from './planDecrease.js'
import { readDeadline } from './readDeadline.js'
import { readNftPosition } from './readNftPosition.js'
import type { PoolImmutables } from './readPoolImmutables.js'
import { readPoolState } from './readPoolState.js'
import { sendGuardedTransaction } from './sendGuardedTransaction.js'

export type ExecuteClosePositionReturnType = {
  readonly receipt: TransactionReceipt
  readonly plan: DecreasePlan | null
  /** Principal removed (DecreaseLiquidity event). */
  readonly decreased0Raw: bigint
  readonly decreased1Raw: bigint
  /** Principal + fees received (Collect event). */
  readonly collected0Raw: bigint
  readonly collected1Raw: bigint
}

export type ExecuteClosePositionErrorType =
  | import('./guardPool.js').GuardPoolErrorType
  | import('./readDeadline.js').ReadDeadlineErrorType
  | import('./sendGuardedTransaction.js').SendGuardedTransactionErrorType

/**
 * Closes one NFT in a single NonfungiblePositionManager multicall: decrease all liquidity (slippage minimums at the
 * current price), collect principal + fees to the signer, burn. Chain-id and TWAP guards first, then a deadline.
 */
export async function executeClosePosition(
  ctx: ExecutionContext,
  p: { pool: PoolImmutables; tokenId: bigint },
): Promise<ExecuteClosePositionReturnType> {
  await guardPool(ctx, p.pool.pool)
  const position = await readNftPosition(ctx.provider, { positionManager: ctx.positionManager, tokenId: p.tokenId })
  const state = await readPoolState(ctx.provider, p.pool.pool)
  const recipient = await ctx.signer.getAddress()
  const deadline = await readDeadline(ctx.provider, ctx.guards.deadlineSec, { nowMs: ctx.nowMs })
  const plan =
    position.liquidity === 0n
      ? null
      : planDecrease({
          tokenId: p.tokenId,
          tickLower: position.tickLower,
          tickUpper: position.tickUpper,
          positionLiquidity: position.liquidity,
          liquidity: position.liquidity,
          sqrtPriceX96: state.sqrtPriceX96,
          slippageBps: ctx.guards.slippageBps,
        })
  const calls = [
    ...(plan === null
      ? []
      : [
          positionManagerInterface.encodeFunctionData('decreaseLiquidity', [
            {
              tokenId: p.tokenId,
              liquidity: plan.liquidity,
              amount0Min: plan.amount0MinRaw,
              amount1Min: plan.amount1MinRaw,
              deadline,
            },
          ]),
        ]),
    positionManagerInterface.encodeFunctionData('collect', [
      { tokenId: p.tokenId, recipient, amount0Max: MAX_UINT128, amount1Max: MAX_UINT128 },
    ]),
    positionManagerInterface.encodeFunctionData('burn', [p.tokenId]),
  ]
  const receipt = await sendGuardedTransaction(ctx, {
    to: ctx.positionManager,
    data: positionManagerInterface.encodeFunctionData('multicall', [calls]),
    action: 'rebalance exit (decrease + collect + burn)',
  })
  return { receipt, plan, ...closeAmountsFromReceipt(receipt, ctx.positionManager, p.tokenId) }
}

/** The decreased and collected amounts of `tokenId` in a close receipt (also used when a resume finds the receipt). */
export function closeAmountsFromReceipt(
  receipt: TransactionReceipt,
  positionManager: string,
  tokenId: bigint,
): { decreased0Raw: bigint; decreased1Raw: bigint; collected0Raw: bigint; collected1Raw: bigint } {
  const events: ManagerEvents = parseManagerEvents(receipt, positionManager)
  const collected = events.collect.find((e) => e.tokenId === tokenId)
  if (collected === undefined) {
    throw new TransactionRevertedError({
      action: 'rebalance exit',
      stage: 'mined',
      reason: 'no Collect event',
      txHash: receipt.hash,
    })
  }
  const decreased = events.decrease.find((e) => e.tokenId === tokenId)
  return {
    decreased0Raw: decreased?.amount0Raw ?? 0n,
    decreased1Raw: decreased?.amount1Raw ?? 0n,
    collected0Raw: collected.amount0Raw,
    collected1Raw: collected.amount1Raw,
  }
}
