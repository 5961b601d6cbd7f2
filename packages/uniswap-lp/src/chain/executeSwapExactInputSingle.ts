import type { TransactionReceipt } from 'ethers'
import { TransactionRevertedError } from '../errors/chain.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { applySlippage } from './applySlippage.js'
import { assertBalances } from './assertBalances.js'
import { callContract } from './callContract.js'
import { decodePoolLog } from './decodePoolLog.js'
import type { ExecutionContext } from './executionContext.js'
import { guardPool } from './guardPool.js'
import { quoterV2Interface, swapRouterInterface } from './interfaces.js'
import { readDeadline } from './readDeadline.js'
import type { PoolImmutables } from './readPoolImmutables.js'
import { sendGuardedTransaction } from './sendGuardedTransaction.js'

export type ExecuteSwapReturnType = {
  readonly receipt: TransactionReceipt
  /** The pool's signed deltas from its Swap event (positive = paid in). */
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
  readonly quotedAmountOutRaw: bigint
  readonly amountOutMinimumRaw: bigint
}

export type ExecuteSwapErrorType =
  | InvalidParameterError
  | import('./guardPool.js').GuardPoolErrorType
  | import('./assertBalances.js').AssertBalancesErrorType
  | import('./sendGuardedTransaction.js').SendGuardedTransactionErrorType

/**
 * Swaps an exact input through SwapRouter.exactInputSingle, guarded: chain id, TWAP, balance, a QuoterV2 quote at the
 * guarded state with the slippage tolerance as `amountOutMinimum`, a deadline, dry run, padded gas.
 */
export async function executeSwapExactInputSingle(
  ctx: ExecutionContext,
  p: { pool: PoolImmutables; zeroForOne: boolean; amountInRaw: bigint },
): Promise<ExecuteSwapReturnType> {
  if (ctx.swapRouter === undefined || ctx.quoterV2 === undefined) {
    throw new InvalidParameterError({
      field: 'swapRouter/quoterV2',
      value: undefined,
      rule: 'set in the ExecutionContext to swap',
    })
  }
  await guardPool(ctx, p.pool.pool)
  const [tokenIn, tokenOut] = p.zeroForOne ? [p.pool.token0, p.pool.token1] : [p.pool.token1, p.pool.token0]
  const owner = await ctx.signer.getAddress()
  await assertBalances(ctx.provider, owner, [{ token: tokenIn, amountRaw: p.amountInRaw }])
  const quote = await callContract(ctx.provider, {
    to: ctx.quoterV2,
    iface: quoterV2Interface,
    functionName: 'quoteExactInputSingle',
    args: [{ tokenIn, tokenOut, amountIn: p.amountInRaw, fee: p.pool.feePips, sqrtPriceLimitX96: 0n }],
  })
  const quotedAmountOutRaw = BigInt(quote.amountOut)
  const amountOutMinimumRaw = applySlippage(quotedAmountOutRaw, ctx.guards.slippageBps)
  const data = swapRouterInterface.encodeFunctionData('exactInputSingle', [
    {
      tokenIn,
      tokenOut,
      fee: p.pool.feePips,
      recipient: owner,
      deadline: await readDeadline(ctx.provider, ctx.guards.deadlineSec, { nowMs: ctx.nowMs }),
      amountIn: p.amountInRaw,
      amountOutMinimum: amountOutMinimumRaw,
      sqrtPriceLimitX96: 0n,
    },
  ])
  const receipt = await sendGuardedTransaction(ctx, { to: ctx.swapRouter, data, action: 'swap' })
  const swapLog = receipt.logs.find((log) => log.address.toLowerCase() === p.pool.pool.toLowerCase())
  const event = swapLog === undefined ? undefined : decodePoolLog(swapLog)
  if (event?.type !== 'swap') {
    throw new TransactionRevertedError({
      action: 'swap',
      stage: 'mined',
      reason: 'no Swap event from the pool',
      txHash: receipt.hash,
    })
  }
  return {
    receipt,
    amount0Raw: event.amount0Raw,
    amount1Raw: event.amount1Raw,
    quotedAmountOutRaw,
    amountOutMinimumRaw,
  }
}
