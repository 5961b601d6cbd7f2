import type { Provider } from 'ethers'
import { callContract } from './callContract.js'
import { poolInterface } from './interfaces.js'

export type PoolImmutables = {
  readonly pool: string
  readonly token0: string
  readonly token1: string
  readonly feePips: number
  readonly tickSpacing: number
}

export type ReadPoolImmutablesErrorType = import('../errors/chain.js').ChainReadError

/** token0, token1, fee and tickSpacing: fixed at pool creation, safe to cache. */
export async function readPoolImmutables(provider: Provider, pool: string): Promise<PoolImmutables> {
  const read = (functionName: string) => callContract(provider, { to: pool, iface: poolInterface, functionName })
  const [token0, token1, fee, tickSpacing] = await Promise.all([
    read('token0'),
    read('token1'),
    read('fee'),
    read('tickSpacing'),
  ])
  return {
    pool,
    token0: String(token0[0]),
    token1: String(token1[0]),
    feePips: Number(fee[0]),
    tickSpacing: Number(tickSpacing[0]),
  }
}
