import type { Provider } from 'ethers'
import { ChainReadError } from '../errors/chain.js'
import { MULTICALL3_ADDRESS } from './abi/multicall3Abi.js'
import { callContract } from './callContract.js'
import { multicall3Interface, positionManagerInterface } from './interfaces.js'
import type { NftPosition } from './readNftPosition.js'

export type DiscoverPositionsParameters = {
  positionManager: string
  owner: string
  /** Only NFTs of this pool are returned (token0, token1 and fee must match). */
  pool: { token0: string; token1: string; feePips: number }
  /** Multicall3 address; default the canonical 0xcA11…CA11. null: never batch. */
  multicall3?: string | null | undefined
  /** Reads per Multicall3 call (default 200). */
  batchSize?: number | undefined
}

export type DiscoverPositionsReturnType = {
  /** Every NFT of `owner` in the pool, ordered as the position manager enumerates them, with liquidity and ticks. */
  readonly positions: readonly NftPosition[]
  /** How many NFTs the owner holds in all pools. */
  readonly ownedCount: number
  /** The block every read was made at (one consistent view). */
  readonly blockNumber: number
  /** 'multicall3': batched; 'per-call': the chain has no Multicall3 at that address, one eth_call per read. */
  readonly batching: 'multicall3' | 'per-call'
  /** eth_call requests made (the batching's effect). */
  readonly rpcCalls: number
}

export type DiscoverPositionsErrorType = ChainReadError

/**
 * Finds every position NFT `owner` holds in one pool through the position manager's ERC-721 enumeration
 * (`balanceOf`, `tokenOfOwnerByIndex`, `positions`), all at one block. Reads are batched through Multicall3 when the
 * chain has it, else one call per read (the result says which). For a manager to find its positions after a restart.
 */
export async function discoverPositions(
  provider: Provider,
  p: DiscoverPositionsParameters,
): Promise<DiscoverPositionsReturnType> {
  let blockNumber: number
  let multicall: string | null = p.multicall3 === undefined ? MULTICALL3_ADDRESS : p.multicall3
  try {
    blockNumber = await provider.getBlockNumber()
    if (multicall !== null && (await provider.getCode(multicall, blockNumber)) === '0x') multicall = null
  } catch (cause) {
    throw new ChainReadError({ what: 'block number and Multicall3 code', address: 'the RPC endpoint', cause })
  }
  let rpcCalls = 0
  const read = async (functionName: string, argsList: readonly (readonly unknown[])[]) => {
    if (multicall === null) {
      const out = []
      for (const args of argsList) {
        rpcCalls++
        out.push(
          await callContract(provider, {
            to: p.positionManager,
            iface: positionManagerInterface,
            functionName,
            args,
            blockTag: blockNumber,
          }),
        )
      }
      return out
    }
    const size = p.batchSize ?? 200
    const out = []
    for (let start = 0; start < argsList.length; start += size) {
      const calls = argsList.slice(start, start + size).map((args) => ({
        target: p.positionManager,
        allowFailure: false,
        callData: positionManagerInterface.encodeFunctionData(functionName, args),
      }))
      rpcCalls++
      const r = await callContract(provider, {
        to: multicall,
        iface: multicall3Interface,
        functionName: 'aggregate3',
        args: [calls],
        blockTag: blockNumber,
      })
      for (const entry of r[0] as readonly { success: boolean; returnData: string }[]) {
        out.push(positionManagerInterface.decodeFunctionResult(functionName, entry.returnData))
      }
    }
    return out
  }

  const [balance] = await read('balanceOf', [[p.owner]])
  const ownedCount = Number(balance![0])
  const indices = Array.from({ length: ownedCount }, (_, i) => [p.owner, i] as const)
  const tokenIds = (await read('tokenOfOwnerByIndex', indices)).map((r) => BigInt(r[0]))
  const raw = await read(
    'positions',
    tokenIds.map((id) => [id]),
  )
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
  const positions: NftPosition[] = []
  raw.forEach((r, i) => {
    const position: NftPosition = {
      tokenId: tokenIds[i]!,
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
    if (
      same(position.token0, p.pool.token0) &&
      same(position.token1, p.pool.token1) &&
      position.feePips === p.pool.feePips
    ) {
      positions.push(position)
    }
  })
  return { positions, ownedCount, blockNumber, batching: multicall === null ? 'per-call' : 'multicall3', rpcCalls }
}
