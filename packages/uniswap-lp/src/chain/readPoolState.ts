import type { Provider } from 'ethers'
import { ChainReadError } from '../errors/chain.js'
import { callContract } from './callContract.js'
import { poolInterface } from './interfaces.js'

/** The pool's mutable state at one block. */
export type PoolState = {
  readonly pool: string
  readonly blockNumber: number
  readonly sqrtPriceX96: bigint
  readonly tick: number
  readonly observationIndex: number
  readonly observationCardinality: number
  readonly observationCardinalityNext: number
  readonly feeProtocol: number
  readonly unlocked: boolean
  /** Active (in-range) liquidity. */
  readonly liquidity: bigint
  readonly feeGrowthGlobal0X128: bigint
  readonly feeGrowthGlobal1X128: bigint
}

export type ReadPoolStateErrorType = ChainReadError

/** Reads slot0, liquidity and both fee-growth accumulators at one block (the latest unless `blockNumber` is given). */
export async function readPoolState(provider: Provider, pool: string, blockNumber?: number): Promise<PoolState> {
  let block: number
  try {
    block = blockNumber ?? (await provider.getBlockNumber())
  } catch (cause) {
    throw new ChainReadError({ what: 'block number', address: pool, cause })
  }
  const read = (functionName: string) =>
    callContract(provider, { to: pool, iface: poolInterface, functionName, blockTag: block })
  const [slot0, liquidity, growth0, growth1] = await Promise.all([
    read('slot0'),
    read('liquidity'),
    read('feeGrowthGlobal0X128'),
    read('feeGrowthGlobal1X128'),
  ])
  return {
    pool,
    blockNumber: block,
    sqrtPriceX96: BigInt(slot0.sqrtPriceX96),
    tick: Number(slot0.tick),
    observationIndex: Number(slot0.observationIndex),
    observationCardinality: Number(slot0.observationCardinality),
    observationCardinalityNext: Number(slot0.observationCardinalityNext),
    feeProtocol: Number(slot0.feeProtocol),
    unlocked: Boolean(slot0.unlocked),
    liquidity: BigInt(liquidity[0]),
    feeGrowthGlobal0X128: BigInt(growth0[0]),
    feeGrowthGlobal1X128: BigInt(growth1[0]),
  }
}
