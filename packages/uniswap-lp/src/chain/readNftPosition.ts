import type { BlockTag, Provider } from 'ethers'
import { callContract } from './callContract.js'
import { positionManagerInterface } from './interfaces.js'

/** `NonfungiblePositionManager.positions(tokenId)`. `tokensOwed*` only moves when the position is poked. */
export type NftPosition = {
  readonly tokenId: bigint
  readonly token0: string
  readonly token1: string
  readonly feePips: number
  readonly tickLower: number
  readonly tickUpper: number
  readonly liquidity: bigint
  readonly feeGrowthInside0LastX128: bigint
  readonly feeGrowthInside1LastX128: bigint
  readonly tokensOwed0: bigint
  readonly tokensOwed1: bigint
}

export type ReadNftPositionErrorType = import('../errors/chain.js').ChainReadError

/** Reads one NFT position from the position manager (reverts 'Invalid token ID' once burned → ChainReadError). */
export async function readNftPosition(
  provider: Provider,
  p: { positionManager: string; tokenId: bigint; blockTag?: BlockTag | undefined },
): Promise<NftPosition> {
  const r = await callContract(provider, {
    to: p.positionManager,
    iface: positionManagerInterface,
    functionName: 'positions',
    args: [p.tokenId],
    blockTag: p.blockTag,
  })
  return {
    tokenId: p.tokenId,
    token0: String(r.token0),
    token1: String(r.token1),
    feePips: Number(r.fee),
    tickLower: Number(r.tickLower),
    tickUpper: Number(r.tickUpper),
    liquidity: BigInt(r.liquidity),
    feeGrowthInside0LastX128: BigInt(r.feeGrowthInside0LastX128),
    feeGrowthInside1LastX128: BigInt(r.feeGrowthInside1LastX128),
    tokensOwed0: BigInt(r.tokensOwed0),
    tokensOwed1: BigInt(r.tokensOwed1),
  }
}
