import type { JsonRpcProvider, TransactionReceipt, TransactionReceiptParams } from 'ethers'

/**
 * `eth_getTransactionReceipt` straight from the node. ethers shares identical requests for `cacheTimeout` (250 ms by
 * default), so `provider.getTransactionReceipt` can answer a null read just before the transaction was mined: a
 * decision that reads some state first and the receipt after it (is this used nonce ours? is this burned NFT ours?)
 * must see every receipt mined before that state. `send` skips the cache. Errors are the provider's, unwrapped.
 */
export async function readReceiptFromNode(provider: JsonRpcProvider, hash: string): Promise<TransactionReceipt | null> {
  const raw = await provider.send('eth_getTransactionReceipt', [hash])
  if (raw === null || raw === undefined) return null
  // What `getTransactionReceipt` does with the node's answer: format it and bind it to the provider.
  return provider._wrapTransactionReceipt(raw as TransactionReceiptParams, await provider.getNetwork())
}
