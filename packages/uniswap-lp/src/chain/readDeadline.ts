import type { Provider } from 'ethers'
import { ChainReadError } from '../errors/chain.js'
import { StaleChainTipError } from '../errors/rebalance.js'

export type ReadDeadlineErrorType = ChainReadError | StaleChainTipError

/**
 * Deadline for a transaction: the latest block's timestamp + `deadlineSec` (chain time, not the local clock).
 * When the tip is older than the window by the local clock (`nowMs`, default `Date.now`), that deadline is already
 * past and the contract would revert "Transaction too old": `StaleChainTipError` says so, with the block's age.
 * `nowMs: null` skips the check (a replayed chain whose block times are a past day's: pass its clock instead when you can).
 */
export async function readDeadline(
  provider: Provider,
  deadlineSec: number,
  options?: { nowMs?: (() => number) | null | undefined },
): Promise<bigint> {
  let timestamp: number
  let blockNumber: number
  try {
    const block = await provider.getBlock('latest')
    if (block === null) throw new Error('no latest block')
    timestamp = block.timestamp
    blockNumber = block.number
  } catch (cause) {
    throw new ChainReadError({ what: 'latest block timestamp', address: 'the RPC endpoint', cause })
  }
  const clock = options?.nowMs === undefined ? Date.now : options.nowMs
  const age = clock === null ? 0 : Math.floor(clock() / 1000) - timestamp
  if (age > deadlineSec) {
    throw new StaleChainTipError({ blockNumber, blockTimestampSec: timestamp, blockAgeSec: age, deadlineSec })
  }
  return BigInt(timestamp + deadlineSec)
}
