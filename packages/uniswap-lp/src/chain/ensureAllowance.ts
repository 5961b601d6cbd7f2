import type { TransactionReceipt } from 'ethers'
import { assertChainId } from './assertChainId.js'
import { callContract } from './callContract.js'
import type { ExecutionContext } from './executionContext.js'
import { erc20Interface } from './interfaces.js'
import { sendGuardedTransaction } from './sendGuardedTransaction.js'

export type EnsureAllowanceErrorType =
  | import('./assertChainId.js').AssertChainIdErrorType
  | import('./callContract.js').CallContractErrorType
  | import('./sendGuardedTransaction.js').SendGuardedTransactionErrorType

/**
 * Makes sure `spender` (the position manager or the router) may pull `amountRaw` of `token` from the signer: when the
 * allowance is lower, approves exactly `amountRaw` (not unlimited) with the transport guards (chain id, dry run, padded
 * gas). Returns the approval receipt, or null when the allowance already sufficed. Tokens that require a reset to 0
 * before a new non-zero approval (USDT on mainnet) revert in the dry run: approve 0 first.
 */
export async function ensureAllowance(
  ctx: ExecutionContext,
  p: { token: string; spender: string; amountRaw: bigint },
): Promise<TransactionReceipt | null> {
  await assertChainId(ctx.provider, ctx.guards.expectedChainId)
  const owner = await ctx.signer.getAddress()
  const allowance = await callContract(ctx.provider, {
    to: p.token,
    iface: erc20Interface,
    functionName: 'allowance',
    args: [owner, p.spender],
  })
  if (BigInt(allowance[0]) >= p.amountRaw) return null
  const data = erc20Interface.encodeFunctionData('approve', [p.spender, p.amountRaw])
  return sendGuardedTransaction(ctx, { to: p.token, data, action: 'approve' })
}
