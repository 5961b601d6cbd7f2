import type { Provider } from 'ethers'
import { ChainReadError } from '../errors/chain.js'

export type ReadDeadlineErrorType = ChainReadError

/** Deadline for a transaction: the latest block's timestamp + `deadlineSec` (chain time, not the local clock). */
export async function readDeadline(provider: Provider, deadlineSec: number): Promise<bigint> {
  let timestamp: number
  try {
    const block = await provider.getBlock('latest')
    if (block === null) throw new Error('no latest block')
    timestamp = block.timestamp
  } catch (cause) {
    throw new ChainReadError({ what: 'latest block timestamp', address: 'the RPC endpoint', cause })
  }
  return BigInt(timestamp + deadlineSec)
}
