import { Interface } from 'ethers'
import { ChainTransactionRevertedError } from '../errors/chain.js'
import { loadUniswapArtifact } from './artifacts.js'
import type { LocalChain } from './localChain.js'
import { type LocalTransactionReceipt, sendLocalTransaction } from './sendLocalTransaction.js'

export type SwapExactInputSingleParameters = {
  /** An unlocked anvil account that holds and approved `tokenIn` for the swap router. */
  from: string
  tokenIn: string
  tokenOut: string
  feePips: number
  amountInRaw: bigint
  /** Price limit; the swap stops there and spends less than `amountInRaw`. Default 0 (none). */
  sqrtPriceLimitX96?: bigint | undefined
  amountOutMinimumRaw?: bigint | undefined
}

export type SwapExactInputSingleReturnType = {
  readonly receipt: LocalTransactionReceipt
  /** The pool's Swap event fields. */
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
  readonly sqrtPriceX96: bigint
  readonly liquidity: bigint
  readonly tick: number
}

export type SwapExactInputSingleErrorType = import('../errors/chain.js').ChainTransactionRevertedError

/** One `exactInputSingle` through the real SwapRouter; returns the pool's Swap event. */
export async function swapExactInputSingle(
  chain: LocalChain,
  parameters: SwapExactInputSingleParameters,
): Promise<SwapExactInputSingleReturnType> {
  const router = new Interface(loadUniswapArtifact('SwapRouter').abi)
  const block = await chain.provider.getBlock('latest')
  const deadline = BigInt((block?.timestamp ?? 0) + 3_600)
  const data = router.encodeFunctionData('exactInputSingle', [
    {
      tokenIn: parameters.tokenIn,
      tokenOut: parameters.tokenOut,
      fee: parameters.feePips,
      recipient: parameters.from,
      deadline,
      amountIn: parameters.amountInRaw,
      amountOutMinimum: parameters.amountOutMinimumRaw ?? 0n,
      sqrtPriceLimitX96: parameters.sqrtPriceLimitX96 ?? 0n,
    },
  ])
  const receipt = await sendLocalTransaction(
    chain.provider,
    { from: parameters.from, to: chain.uniswap.swapRouter, data },
    'exactInputSingle',
  )
  const pool = new Interface(loadUniswapArtifact('UniswapV3Pool').abi)
  const swapTopic = pool.getEvent('Swap')!.topicHash
  const log = receipt.logs.find((l) => l.topics[0] === swapTopic)
  if (log === undefined) {
    throw new ChainTransactionRevertedError({
      label: 'exactInputSingle',
      reason: 'the receipt has no Swap event',
      txHash: receipt.transactionHash,
    })
  }
  const event = pool.decodeEventLog('Swap', log.data, log.topics)
  return {
    receipt,
    amount0Raw: BigInt(event.amount0),
    amount1Raw: BigInt(event.amount1),
    sqrtPriceX96: BigInt(event.sqrtPriceX96),
    liquidity: BigInt(event.liquidity),
    tick: Number(event.tick),
  }
}
