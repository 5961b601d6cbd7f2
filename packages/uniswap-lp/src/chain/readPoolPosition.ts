import { type BlockTag, type Provider, solidityPackedKeccak256 } from 'ethers'
import { callContract } from './callContract.js'
import { poolInterface } from './interfaces.js'

/** `Position.Info` as the pool stores it (for NFT positions the owner is the position manager). */
export type PoolPosition = {
  readonly liquidity: bigint
  readonly feeGrowthInside0LastX128: bigint
  readonly feeGrowthInside1LastX128: bigint
  readonly tokensOwed0: bigint
  readonly tokensOwed1: bigint
}

export type ReadPoolPositionErrorType = import('../errors/chain.js').ChainReadError

/** The pool's position key: keccak256(abi.encodePacked(owner, tickLower, tickUpper)) as `PositionKey.compute`. */
export function computePositionKey(owner: string, tickLower: number, tickUpper: number): string {
  return solidityPackedKeccak256(['address', 'int24', 'int24'], [owner, tickLower, tickUpper])
}

/** `pool.positions(key(owner, tickLower, tickUpper))`. */
export async function readPoolPosition(
  provider: Provider,
  p: { pool: string; owner: string; tickLower: number; tickUpper: number; blockTag?: BlockTag | undefined },
): Promise<PoolPosition> {
  const key = computePositionKey(p.owner, p.tickLower, p.tickUpper)
  const r = await callContract(provider, {
    to: p.pool,
    iface: poolInterface,
    functionName: 'positions',
    args: [key],
    blockTag: p.blockTag,
  })
  return {
    liquidity: BigInt(r.liquidity),
    feeGrowthInside0LastX128: BigInt(r.feeGrowthInside0LastX128),
    feeGrowthInside1LastX128: BigInt(r.feeGrowthInside1LastX128),
    tokensOwed0: BigInt(r.tokensOwed0),
    tokensOwed1: BigInt(r.tokensOwed1),
  }
}
