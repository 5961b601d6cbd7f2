import type { TransactionReceipt } from 'ethers'
import { TransactionRevertedError } from '../errors/chain.js'
import { MAX_UINT128 } from '../math/constants.js'
import type { ExecutionContext } from './executionContext.js'
import { guardPool } from './guardPool.js'
import { positionManagerInterface } from './interfaces.js'
import { parseManagerEvents } from './parseManagerEvents.js'
import { sendGuardedTransaction } from './sendGuardedTransaction.js'

export type ExecuteCollectReturnType = {
  readonly receipt: TransactionReceipt
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type ExecuteCollectErrorType =
  | import('./guardPool.js').GuardPoolErrorType
  | import('./sendGuardedTransaction.js').SendGuardedTransactionErrorType

/** Collects everything owed to a position (fees + decreased liquidity) to the signer. */
export async function executeCollect(
  ctx: ExecutionContext,
  p: { pool: string; tokenId: bigint },
): Promise<ExecuteCollectReturnType> {
  await guardPool(ctx, p.pool)
  const recipient = await ctx.signer.getAddress()
  const data = positionManagerInterface.encodeFunctionData('collect', [
    { tokenId: p.tokenId, recipient, amount0Max: MAX_UINT128, amount1Max: MAX_UINT128 },
  ])
  const receipt = await sendGuardedTransaction(ctx, { to: ctx.positionManager, data, action: 'collect' })
  const collect = parseManagerEvents(receipt, ctx.positionManager).collect[0]
  if (collect === undefined) {
    throw new TransactionRevertedError({
      action: 'collect',
      stage: 'mined',
      reason: 'no Collect event',
      txHash: receipt.hash,
    })
  }
  return { receipt, amount0Raw: collect.amount0Raw, amount1Raw: collect.amount1Raw }
}
