import type { Provider } from 'ethers'
import { ChainReadError } from '../errors/chain.js'
import { getUncollectedFees } from '../valuation/getUncollectedFees.js'
import { readNftPosition } from './readNftPosition.js'
import { readPoolState } from './readPoolState.js'
import { readTick } from './readTick.js'

export type ReadUncollectedFeesErrorType = ChainReadError

/** Fees a position could collect now, token base units. */
export type UncollectedFees = {
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
}

/**
 * Fees an NFT position could collect now, computed off-chain (valuation `getUncollectedFees`) from one block's state:
 * the manager's position (its own fee checkpoint and tokensOwed), slot0 tick, fee growth globals and the range's two
 * ticks. No poke, no transaction; `positions().tokensOwed*` alone stays 0 until the position is poked.
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
  const { fees0Raw, fees1Raw } = getUncollectedFees({
    liquidity: position.liquidity,
    tickLower: position.tickLower,
    tickUpper: position.tickUpper,
    tickCurrent: state.tick,
    feeGrowthGlobal0X128: state.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: state.feeGrowthGlobal1X128,
    lower,
    upper,
    feeGrowthInside0LastX128: position.feeGrowthInside0LastX128,
    feeGrowthInside1LastX128: position.feeGrowthInside1LastX128,
    tokensOwed0: position.tokensOwed0,
    tokensOwed1: position.tokensOwed1,
  })
  return { amount0Raw: fees0Raw, amount1Raw: fees1Raw }
}
