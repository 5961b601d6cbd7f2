import type { Provider } from 'ethers'
import { ChainReadError } from '../errors/chain.js'
import { computeUncollectedFees, type UncollectedFees } from './computeUncollectedFees.js'
import { readNftPosition } from './readNftPosition.js'
import { readPoolState } from './readPoolState.js'
import { readTick } from './readTick.js'

export type ReadUncollectedFeesErrorType = ChainReadError

/**
 * Fees an NFT position could collect now, computed off-chain from one block's state (position, slot0 tick, fee growth
 * globals, the range's two ticks): no poke, no transaction.
 */
export async function readUncollectedFees(
  provider: Provider,
  p: { pool: string; positionManager: string; tokenId: bigint },
): Promise<UncollectedFees> {
  let blockNumber: number
  try {
    blockNumber = await provider.getBlockNumber()
  } catch (cause) {
    throw new ChainReadError({ what: 'block number', address: p.pool, cause })
  }
  const position = await readNftPosition(provider, {
    positionManager: p.positionManager,
    tokenId: p.tokenId,
    blockTag: blockNumber,
  })
  const [state, lower, upper] = await Promise.all([
    readPoolState(provider, p.pool, blockNumber),
    readTick(provider, p.pool, position.tickLower, blockNumber),
    readTick(provider, p.pool, position.tickUpper, blockNumber),
  ])
  return computeUncollectedFees({
    position,
    tickCurrent: state.tick,
    feeGrowthGlobal0X128: state.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: state.feeGrowthGlobal1X128,
    lower,
    upper,
  })
}
