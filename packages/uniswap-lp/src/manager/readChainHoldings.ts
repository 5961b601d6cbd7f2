import { Interface } from 'ethers'
import { erc20Interface, poolInterface, positionManagerInterface } from '../chain/interfaces.js'
import type { TickFeeGrowthOutside } from '../math/feeGrowth.js'
import type { BatchCall, BatchReader } from './batchReader.js'
import { RpcReadError } from './errors.js'

/** The ERC-721 enumeration the position-manager ABI of src/chain does not list. */
export const positionEnumerationInterface: Interface = new Interface([
  'function balanceOf(address owner) view returns (uint256)',
  'function tokenOfOwnerByIndex(address owner, uint256 index) view returns (uint256)',
])

export type ChainPositionRead = {
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

/** Everything holdings are computed from, read at one block. */
export type ChainHoldingsRead = {
  readonly blockNumber: number
  readonly wallet0Raw: bigint
  readonly wallet1Raw: bigint
  readonly sqrtPriceX96: bigint
  readonly tick: number
  readonly feeGrowthGlobal0X128: bigint
  readonly feeGrowthGlobal1X128: bigint
  /** Our positions in this pool (other pools' NFTs are left out); burned ids are left out too. */
  readonly positions: readonly ChainPositionRead[]
  /** Fee growth outside of every tick our positions use. */
  readonly ticks: Readonly<Record<number, TickFeeGrowthOutside>>
}

export type ReadChainHoldingsParameters = {
  reader: BatchReader
  blockNumber: number
  pool: { address: string; token0: string; token1: string; feePips: number }
  positionManager: string
  owner: string
  tokenIds: readonly bigint[]
}

/**
 * Two batched rounds at one block: (1) both wallet balances, slot0, both fee-growth globals and positions(id) of every
 * token id; (2) ticks(t) of every range edge. With Multicall3 that is two eth_calls for any number of positions.
 * @throws RpcReadError
 */
export async function readChainHoldings(p: ReadChainHoldingsParameters): Promise<ChainHoldingsRead> {
  const { reader, blockNumber, pool } = p
  const erc = (token: string): BatchCall => ({
    target: token,
    data: erc20Interface.encodeFunctionData('balanceOf', [p.owner]),
  })
  const poolCall = (fn: string, args: unknown[] = []): BatchCall => ({
    target: pool.address,
    data: poolInterface.encodeFunctionData(fn, args),
  })
  const first = await reader.read(
    [
      erc(pool.token0),
      erc(pool.token1),
      poolCall('slot0'),
      poolCall('feeGrowthGlobal0X128'),
      poolCall('feeGrowthGlobal1X128'),
      ...p.tokenIds.map((id) => ({
        target: p.positionManager,
        data: positionManagerInterface.encodeFunctionData('positions', [id]),
      })),
    ],
    blockNumber,
  )
  const decode = (iface: Interface, fn: string, i: number) => {
    const r = first[i]!
    if (!r.success) throw new RpcReadError({ method: 'eth_call', reason: `${fn}() reverted` })
    try {
      return iface.decodeFunctionResult(fn, r.returnData)
    } catch (cause) {
      throw new RpcReadError({ method: 'eth_call', reason: `${fn}() returned undecodable data`, cause })
    }
  }
  const wallet0Raw = BigInt(decode(erc20Interface, 'balanceOf', 0)[0])
  const wallet1Raw = BigInt(decode(erc20Interface, 'balanceOf', 1)[0])
  const slot0 = decode(poolInterface, 'slot0', 2)
  const feeGrowthGlobal0X128 = BigInt(decode(poolInterface, 'feeGrowthGlobal0X128', 3)[0])
  const feeGrowthGlobal1X128 = BigInt(decode(poolInterface, 'feeGrowthGlobal1X128', 4)[0])
  const positions: ChainPositionRead[] = []
  p.tokenIds.forEach((tokenId, k) => {
    // A burned id reverts ('Invalid token ID'): it is no longer a position of ours.
    if (!first[5 + k]!.success) return
    const r = decode(positionManagerInterface, 'positions', 5 + k)
    const position: ChainPositionRead = {
      tokenId,
      token0: String(r.token0).toLowerCase(),
      token1: String(r.token1).toLowerCase(),
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
      position.token0 === pool.token0.toLowerCase() &&
      position.token1 === pool.token1.toLowerCase() &&
      position.feePips === pool.feePips
    )
      positions.push(position)
  })
  const tickList = [...new Set(positions.flatMap((q) => [q.tickLower, q.tickUpper]))]
  const second = await reader.read(
    tickList.map((t) => poolCall('ticks', [t])),
    blockNumber,
  )
  const ticks: Record<number, TickFeeGrowthOutside> = {}
  tickList.forEach((t, i) => {
    const r = second[i]!
    if (!r.success) throw new RpcReadError({ method: 'eth_call', reason: `ticks(${t}) reverted` })
    const d = poolInterface.decodeFunctionResult('ticks', r.returnData)
    ticks[t] = {
      feeGrowthOutside0X128: BigInt(d.feeGrowthOutside0X128),
      feeGrowthOutside1X128: BigInt(d.feeGrowthOutside1X128),
    }
  })
  return {
    blockNumber,
    wallet0Raw,
    wallet1Raw,
    sqrtPriceX96: BigInt(slot0.sqrtPriceX96),
    tick: Number(slot0.tick),
    feeGrowthGlobal0X128,
    feeGrowthGlobal1X128,
    positions,
    ticks,
  }
}

/**
 * Token ids the owner holds at a block, by ERC-721 enumeration (balanceOf + tokenOfOwnerByIndex, batched). The manager
 * uses it until the write side's `discoverPositions` is available; readChainHoldings then keeps this pool's ones.
 * @throws RpcReadError
 */
export async function enumerateOwnedTokenIds(p: {
  reader: BatchReader
  blockNumber: number
  positionManager: string
  owner: string
}): Promise<bigint[]> {
  const [balance] = await p.reader.read(
    [{ target: p.positionManager, data: positionEnumerationInterface.encodeFunctionData('balanceOf', [p.owner]) }],
    p.blockNumber,
  )
  if (!balance!.success) throw new RpcReadError({ method: 'eth_call', reason: 'balanceOf(owner) reverted' })
  const count = Number(positionEnumerationInterface.decodeFunctionResult('balanceOf', balance!.returnData)[0])
  const results = await p.reader.read(
    Array.from({ length: count }, (_, i) => ({
      target: p.positionManager,
      data: positionEnumerationInterface.encodeFunctionData('tokenOfOwnerByIndex', [p.owner, i]),
    })),
    p.blockNumber,
  )
  return results.map((r, i) => {
    if (!r.success) throw new RpcReadError({ method: 'eth_call', reason: `tokenOfOwnerByIndex(${i}) reverted` })
    return BigInt(positionEnumerationInterface.decodeFunctionResult('tokenOfOwnerByIndex', r.returnData)[0])
  })
}
