import type { JsonRpcProvider } from 'ethers'
import { ChainReadError, WrongChainError } from '../errors/chain.js'

export type AssertChainIdErrorType = WrongChainError | ChainReadError

/**
 * Asks the node for `eth_chainId` (bypassing any static network the provider was built with) and throws
 * `WrongChainError` when it differs from `expectedChainId`.
 */
export async function assertChainId(provider: JsonRpcProvider, expectedChainId: bigint): Promise<void> {
  let actualChainId: bigint
  try {
    actualChainId = BigInt((await provider.send('eth_chainId', [])) as string)
  } catch (cause) {
    throw new ChainReadError({ what: 'eth_chainId', address: 'the RPC endpoint', cause })
  }
  if (actualChainId !== expectedChainId) throw new WrongChainError({ expectedChainId, actualChainId })
}
