import type { TransactionReceipt } from 'ethers'
import { TransactionRevertedError } from '../errors/chain.js'
import { MAX_UINT128 } from '../math/constants.js'
import { type ExecuteMintReturnType, executeMint } from './executeMint.js'
import { type ExecuteSwapReturnType, executeSwapExactInputSingle } from './executeSwapExactInputSingle.js'
import type { ExecutionContext } from './executionContext.js'
import { guardPool } from './guardPool.js'
import { positionManagerInterface } from './interfaces.js'
import { parseManagerEvents } from './parseManagerEvents.js'
import { type DecreasePlan, planDecrease } from './planDecrease.js'
import { planMint } from './planMint.js'
import { readDeadline } from './readDeadline.js'
import { readNftPosition } from './readNftPosition.js'
import type { PoolImmutables } from './readPoolImmutables.js'
import { readPoolState } from './readPoolState.js'
import { sendGuardedTransaction } from './sendGuardedTransaction.js'

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
  await guardPool(ctx, p.pool.pool)
  const position = await readNftPosition(ctx.provider, { positionManager: ctx.positionManager, tokenId: p.tokenId })
  const state = await readPoolState(ctx.provider, p.pool.pool)
  const recipient = await ctx.signer.getAddress()
  const deadline = await readDeadline(ctx.provider, ctx.guards.deadlineSec)
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
  const events = parseManagerEvents(receipt, ctx.positionManager)
  const collected = events.collect[0]
  if (collected === undefined) {
    throw new TransactionRevertedError({
      action: 'rebalance exit',
      stage: 'mined',
      reason: 'no Collect event',
      txHash: receipt.hash,
    })
  }
  const decreased = events.decrease[0]
  const exit = {
    receipt,
    plan,
    decreased0Raw: decreased?.amount0Raw ?? 0n,
    decreased1Raw: decreased?.amount1Raw ?? 0n,
    collected0Raw: collected.amount0Raw,
    collected1Raw: collected.amount1Raw,
  }

  let amount0Raw = collected.amount0Raw
  let amount1Raw = collected.amount1Raw
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
