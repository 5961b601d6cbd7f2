import { AbiCoder, dataSlice, type JsonRpcProvider, toBeHex } from 'ethers'
import { ChainTransactionRevertedError } from '../errors/chain.js'

export type LocalTransactionRequest = {
  /** An unlocked anvil account. */
  from: string
  /** Omit to deploy `data` as creation code. */
  to?: string | undefined
  data: string
  valueWei?: bigint | undefined
  /** Fixed gas limit (default 12 000 000): anvil's `eth_estimateGas` can under-estimate swaps. */
  gasLimit?: bigint | undefined
}

/** The fields of an `eth_getTransactionReceipt` answer the harness uses. */
export type LocalTransactionReceipt = {
  transactionHash: string
  blockNumber: string
  status: string
  gasUsed: string
  contractAddress: string | null
  logs: readonly { address: string; topics: readonly string[]; data: string; logIndex: string }[]
}

export type SendLocalTransactionErrorType = ChainTransactionRevertedError

const DEFAULT_GAS_LIMIT = 12_000_000n

/**
 * Sends a transaction from an unlocked anvil account with `eth_sendTransactionSync` (one round trip, returns the
 * receipt: no `tx.wait()` that can hang against an automining node). A status-0 receipt or a node rejection throws
 * `ChainTransactionRevertedError` with the decoded revert reason.
 */
export async function sendLocalTransaction(
  provider: JsonRpcProvider,
  request: LocalTransactionRequest,
  label: string,
): Promise<LocalTransactionReceipt> {
  const tx = {
    from: request.from,
    ...(request.to === undefined ? {} : { to: request.to }),
    data: request.data,
    value: toBeHex(request.valueWei ?? 0n),
    gas: toBeHex(request.gasLimit ?? DEFAULT_GAS_LIMIT),
  }
  let receipt: LocalTransactionReceipt
  try {
    receipt = (await provider.send('eth_sendTransactionSync', [tx])) as LocalTransactionReceipt
  } catch (cause) {
    throw new ChainTransactionRevertedError({ label, reason: revertReasonOf(cause), cause })
  }
  if (BigInt(receipt.status) !== 1n) {
    // Replay as a call on the post-state to recover the reason (the harness runs one transaction per block).
    let reason: string | undefined
    try {
      await provider.send('eth_call', [tx, 'latest'])
      reason = 'no reason: the replay succeeded on the post-state'
    } catch (cause) {
      reason = revertReasonOf(cause)
    }
    throw new ChainTransactionRevertedError({ label, reason, txHash: receipt.transactionHash })
  }
  return receipt
}

const ERROR_STRING_SELECTOR = '0x08c379a0'

/** Decodes `Error(string)` revert data found on an ethers / JSON-RPC error, or the node's message. */
export function revertReasonOf(error: unknown): string | undefined {
  const data = findRevertData(error)
  if (data?.startsWith(ERROR_STRING_SELECTOR) && data.length >= 10) {
    const [reason] = AbiCoder.defaultAbiCoder().decode(['string'], dataSlice(data, 4))
    return String(reason)
  }
  if (data !== undefined && data !== '0x') return `custom error data ${data}`
  if (error instanceof Error) {
    const e = error as Error & { shortMessage?: string; error?: { message?: string } }
    return e.error?.message ?? e.shortMessage ?? e.message
  }
  return undefined
}

function findRevertData(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 5) return undefined
  const e = error as { data?: unknown; error?: unknown; info?: unknown; cause?: unknown }
  if (typeof e.data === 'string' && e.data.startsWith('0x')) return e.data
  return (
    findRevertData(e.error, depth + 1) ??
    findRevertData((e.info as { error?: unknown } | undefined)?.error, depth + 1) ??
    findRevertData(e.cause, depth + 1)
  )
}
