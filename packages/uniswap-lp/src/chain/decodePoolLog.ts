import { UnknownPoolLogError } from '../errors/chain.js'
import { poolInterface } from './interfaces.js'

export type PoolSwapEvent = {
  readonly type: 'swap'
  readonly sender: string
  readonly recipient: string
  /** Pool's signed deltas: positive = paid into the pool. */
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
  readonly sqrtPriceX96: bigint
  /** Active liquidity after the swap. */
  readonly liquidity: bigint
  readonly tick: number
}

export type PoolMintEvent = {
  readonly type: 'mint'
  readonly sender: string
  readonly owner: string
  readonly tickLower: number
  readonly tickUpper: number
  /** Liquidity added. */
  readonly liquidity: bigint
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type PoolBurnEvent = {
  readonly type: 'burn'
  readonly owner: string
  readonly tickLower: number
  readonly tickUpper: number
  /** Liquidity removed. */
  readonly liquidity: bigint
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type PoolCollectEvent = {
  readonly type: 'collect'
  readonly owner: string
  readonly recipient: string
  readonly tickLower: number
  readonly tickUpper: number
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

export type PoolEvent = PoolSwapEvent | PoolMintEvent | PoolBurnEvent | PoolCollectEvent

export type DecodePoolLogErrorType = UnknownPoolLogError

const topics = {
  swap: poolInterface.getEvent('Swap')!.topicHash,
  mint: poolInterface.getEvent('Mint')!.topicHash,
  burn: poolInterface.getEvent('Burn')!.topicHash,
  collect: poolInterface.getEvent('Collect')!.topicHash,
}

/** topic0 of the four pool events the decoder knows. */
export const POOL_EVENT_TOPICS: Readonly<typeof topics> = topics

/** Decodes a Uniswap v3 pool Swap, Mint, Burn or Collect log with the pool ABI. */
export function decodePoolLog(log: { readonly topics: readonly string[]; readonly data: string }): PoolEvent {
  const topic0 = log.topics[0]?.toLowerCase()
  try {
    switch (topic0) {
      case topics.swap: {
        const e = poolInterface.decodeEventLog('Swap', log.data, log.topics)
        return {
          type: 'swap',
          sender: String(e.sender),
          recipient: String(e.recipient),
          amount0Raw: BigInt(e.amount0),
          amount1Raw: BigInt(e.amount1),
          sqrtPriceX96: BigInt(e.sqrtPriceX96),
          liquidity: BigInt(e.liquidity),
          tick: Number(e.tick),
        }
      }
      case topics.mint: {
        const e = poolInterface.decodeEventLog('Mint', log.data, log.topics)
        return {
          type: 'mint',
          sender: String(e.sender),
          owner: String(e.owner),
          tickLower: Number(e.tickLower),
          tickUpper: Number(e.tickUpper),
          liquidity: BigInt(e.amount),
          amount0Raw: BigInt(e.amount0),
          amount1Raw: BigInt(e.amount1),
        }
      }
      case topics.burn: {
        const e = poolInterface.decodeEventLog('Burn', log.data, log.topics)
        return {
          type: 'burn',
          owner: String(e.owner),
          tickLower: Number(e.tickLower),
          tickUpper: Number(e.tickUpper),
          liquidity: BigInt(e.amount),
          amount0Raw: BigInt(e.amount0),
          amount1Raw: BigInt(e.amount1),
        }
      }
      case topics.collect: {
        const e = poolInterface.decodeEventLog('Collect', log.data, log.topics)
        return {
          type: 'collect',
          owner: String(e.owner),
          recipient: String(e.recipient),
          tickLower: Number(e.tickLower),
          tickUpper: Number(e.tickUpper),
          amount0Raw: BigInt(e.amount0),
          amount1Raw: BigInt(e.amount1),
        }
      }
    }
  } catch (cause) {
    throw new UnknownPoolLogError({ topic0, cause })
  }
  throw new UnknownPoolLogError({ topic0 })
}
