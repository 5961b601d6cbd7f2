import { Interface } from 'ethers'
import { ChainTransactionRevertedError } from '../errors/chain.js'
import { loadUniswapArtifact } from './artifacts.js'
import type { CreatedPool } from './createPool.js'
import type { LocalChain } from './localChain.js'
import { type LocalTransactionReceipt, sendLocalTransaction } from './sendLocalTransaction.js'

export type AddLiquidityParameters = {
  pool: CreatedPool
  /** An unlocked anvil account holding both tokens, with the position manager approved (see `fundAccount`). */
  from: string
  amount0DesiredRaw: bigint
  amount1DesiredRaw: bigint
  /** Default: the widest usable range for the pool's tick spacing (full range). */
  tickLower?: number | undefined
  tickUpper?: number | undefined
}

export type AddLiquidityReturnType = {
  readonly receipt: LocalTransactionReceipt
  readonly tokenId: bigint
  readonly liquidity: bigint
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type AddLiquidityErrorType = ChainTransactionRevertedError

const MAX_TICK = 887272

/**
 * Mints a position through the real NonfungiblePositionManager with no slippage minimums: background liquidity for
 * tests. Returns the IncreaseLiquidity event fields.
 */
export async function addLiquidity(
  chain: LocalChain,
  parameters: AddLiquidityParameters,
): Promise<AddLiquidityReturnType> {
  const { pool, from } = parameters
  const widest = Math.floor(MAX_TICK / pool.tickSpacing) * pool.tickSpacing
  const npm = new Interface(loadUniswapArtifact('NonfungiblePositionManager').abi)
  const data = npm.encodeFunctionData('mint', [
    {
      token0: pool.token0,
      token1: pool.token1,
      fee: pool.feePips,
      tickLower: parameters.tickLower ?? -widest,
      tickUpper: parameters.tickUpper ?? widest,
      amount0Desired: parameters.amount0DesiredRaw,
      amount1Desired: parameters.amount1DesiredRaw,
      amount0Min: 0n,
      amount1Min: 0n,
      recipient: from,
      deadline: 2n ** 48n,
    },
  ])
  const receipt = await sendLocalTransaction(chain.provider, { from, to: chain.uniswap.positionManager, data }, 'mint')
  const topic = npm.getEvent('IncreaseLiquidity')!.topicHash
  const log = receipt.logs.find((l) => l.topics[0] === topic)
  if (log === undefined) {
    throw new ChainTransactionRevertedError({
      label: 'mint',
      reason: 'no IncreaseLiquidity event',
      txHash: receipt.transactionHash,
    })
  }
  const event = npm.decodeEventLog('IncreaseLiquidity', log.data, log.topics)
  return {
    receipt,
    tokenId: BigInt(event.tokenId),
    liquidity: BigInt(event.liquidity),
    amount0Raw: BigInt(event.amount0),
    amount1Raw: BigInt(event.amount1),
  }
}
