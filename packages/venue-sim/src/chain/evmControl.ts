import { toBeHex } from 'ethers'
import { ChainRpcError } from '../errors/chain.js'
import type { LocalChain } from './localChain.js'

export type EvmControlErrorType = ChainRpcError

async function rpc(chain: LocalChain, method: string, params: readonly unknown[]): Promise<unknown> {
  try {
    return await chain.provider.send(method, [...params])
  } catch (cause) {
    throw new ChainRpcError({ method, cause })
  }
}

/** `evm_snapshot`: returns an id for `revertToSnapshot` (each id can be reverted to once). */
export async function takeSnapshot(chain: LocalChain): Promise<string> {
  return String(await rpc(chain, 'evm_snapshot', []))
}

/** `evm_revert` to a snapshot id; throws `ChainRpcError` when the node refuses. */
export async function revertToSnapshot(chain: LocalChain, snapshotId: string): Promise<void> {
  const ok = await rpc(chain, 'evm_revert', [snapshotId])
  if (ok !== true)
    throw new ChainRpcError({ method: 'evm_revert', cause: new Error(`snapshot ${snapshotId} not found`) })
}

/** Moves the chain clock forward by `seconds` and mines one block (the new block carries the new timestamp). */
export async function increaseTime(chain: LocalChain, seconds: number): Promise<void> {
  await rpc(chain, 'evm_increaseTime', [toBeHex(seconds)])
  await rpc(chain, 'evm_mine', [])
}

/** Sets the timestamp of the next block (seconds since the epoch). */
export async function setNextBlockTimestamp(chain: LocalChain, timestampSec: number): Promise<void> {
  await rpc(chain, 'evm_setNextBlockTimestamp', [toBeHex(timestampSec)])
}

/** Mines one block. */
export async function mineBlock(chain: LocalChain): Promise<void> {
  await rpc(chain, 'evm_mine', [])
}
