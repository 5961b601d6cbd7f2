import type { TransactionReceipt } from 'ethers'
import type { ExecutionContext } from './executionContext.js'
import { guardPool } from './guardPool.js'
import { positionManagerInterface } from './interfaces.js'
import { sendGuardedTransaction } from './sendGuardedTransaction.js'

export type ExecuteBurnErrorType =
  | import('./guardPool.js').GuardPoolErrorType
  | import('./sendGuardedTransaction.js').SendGuardedTransactionErrorType

/**
 * Burns an emptied position NFT. The position manager requires zero liquidity and nothing owed; otherwise the dry run
 * reverts with 'Not cleared' and nothing is sent.
 */
export async function executeBurn(
  ctx: ExecutionContext,
  p: { pool: string; tokenId: bigint },
): Promise<{ receipt: TransactionReceipt }> {
  await guardPool(ctx, p.pool)
  const data = positionManagerInterface.encodeFunctionData('burn', [p.tokenId])
  return { receipt: await sendGuardedTransaction(ctx, { to: ctx.positionManager, data, action: 'burn' }) }
}
