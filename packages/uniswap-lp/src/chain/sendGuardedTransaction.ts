import type { TransactionReceipt } from 'ethers'
import {
  ChainReadError,
  SlippageExceededError,
  TransactionRevertedError,
  TransactionTimeoutError,
} from '../errors/chain.js'
import { assertChainId } from './assertChainId.js'
import { assertExecutionGuards } from './assertExecutionGuards.js'
import { decodeRevertReason, nodeMessageOf } from './decodeRevertReason.js'
import type { ExecutionContext } from './executionContext.js'

export type GuardedTransactionRequest = {
  to: string
  data: string
  valueWei?: bigint | undefined
  /** Names the action in errors ("mint", "rebalance: decrease+collect+burn"). */
  action: string
}

export type SendGuardedTransactionErrorType =
  | import('./assertExecutionGuards.js').AssertExecutionGuardsErrorType
  | import('../errors/chain.js').WrongChainError
  | ChainReadError
  | SlippageExceededError
  | TransactionRevertedError
  | TransactionTimeoutError

/** Revert strings of the periphery's minimum-amount checks. */
const SLIPPAGE_REASONS = ['Price slippage check', 'Too little received', 'Too much requested']

/**
 * Sends one transaction with the executor's transport guards: chain-id check, `eth_call` dry run from the signer
 * (a revert throws before anything is signed), padded gas estimate, local signing, broadcast, and receipt polling
 * with a deadline (no `tx.wait()`). A mined revert is replayed to recover its reason. Errors never carry the signed
 * transaction or the key. The TWAP guard and slippage minimums are the caller's (they depend on the action).
 */
export async function sendGuardedTransaction(
  ctx: ExecutionContext,
  request: GuardedTransactionRequest,
): Promise<TransactionReceipt> {
  const { provider, signer, guards } = ctx
  assertExecutionGuards(guards)
  await assertChainId(provider, guards.expectedChainId)
  const from = await signer.getAddress()
  const call = { from, to: request.to, data: request.data, value: request.valueWei ?? 0n }

  try {
    await provider.call(call)
  } catch (cause) {
    throw revertError(request.action, 'dry-run', decodeRevertReason(cause), guards.slippageBps, cause)
  }

  if (ctx.transport !== undefined) {
    // Nonce, fees, signing, broadcast, replacement and waiting belong to the transport (see TransactionTransport).
    let estimate: bigint
    try {
      estimate = await provider.estimateGas(call)
    } catch (cause) {
      throw new ChainReadError({ what: 'gas estimate', address: request.to, cause })
    }
    const receipt = await ctx.transport.sendAndWait({
      ...call,
      gasLimit: (estimate * BigInt(10_000 + guards.gasLimitPaddingBps)) / 10_000n,
      chainId: guards.expectedChainId,
      action: request.action,
    })
    if (receipt.status !== 1) {
      const reason = await explainMinedRevert(ctx, call, receipt)
      throw revertError(request.action, 'mined', reason, guards.slippageBps, undefined, receipt.hash)
    }
    return receipt
  }

  let gasEstimate: bigint
  let nonce: number
  let maxFeePerGas: bigint
  let maxPriorityFeePerGas: bigint
  try {
    ;[gasEstimate, nonce] = await Promise.all([
      provider.estimateGas(call),
      provider.getTransactionCount(from, 'pending'),
    ])
    const fees = await provider.getFeeData()
    if (fees.maxFeePerGas === null || fees.maxPriorityFeePerGas === null)
      throw new Error('node reports no EIP-1559 fees')
    maxFeePerGas = fees.maxFeePerGas
    maxPriorityFeePerGas = fees.maxPriorityFeePerGas
  } catch (cause) {
    throw new ChainReadError({ what: 'gas estimate, nonce and fees', address: request.to, cause })
  }
  const gasLimit = (gasEstimate * BigInt(10_000 + guards.gasLimitPaddingBps)) / 10_000n

  const signed = await signer.signTransaction({
    type: 2,
    chainId: guards.expectedChainId,
    nonce,
    to: request.to,
    data: request.data,
    value: call.value,
    gasLimit,
    maxFeePerGas,
    maxPriorityFeePerGas,
  })
  let hash: string
  try {
    hash = (await provider.send('eth_sendRawTransaction', [signed])) as string
  } catch (error) {
    // No cause: ethers' error would embed the signed transaction.
    throw new TransactionRevertedError({
      action: request.action,
      stage: 'broadcast',
      reason: nodeMessageOf(error) ?? 'no message from the node',
    })
  }

  const receipt = await pollReceipt(ctx, hash)
  if (receipt.status !== 1) {
    const reason = await explainMinedRevert(ctx, call, receipt)
    throw revertError(request.action, 'mined', reason, guards.slippageBps, undefined, hash)
  }
  return receipt
}

/**
 * The reason a mined transaction reverted. Best: `debug_traceTransaction` with the call tracer (anvil, geth, erigon,
 * most dedicated nodes) gives the exact revert data. Without it, replay as a call on the block's post-state (right
 * when the price moved earlier in the same block: a sandwich), then on the parent block.
 */
async function explainMinedRevert(
  ctx: ExecutionContext,
  call: { from: string; to: string; data: string; value: bigint },
  receipt: TransactionReceipt,
): Promise<string> {
  try {
    const trace = (await ctx.provider.send('debug_traceTransaction', [receipt.hash, { tracer: 'callTracer' }])) as {
      output?: string
      revertReason?: string
      error?: string
    }
    if (trace.revertReason) return trace.revertReason
    if (trace.output && trace.output !== '0x') return decodeRevertReason({ data: trace.output })
    if (trace.error) return trace.error
  } catch {
    // The node has no debug namespace (public RPCs): fall through to replays, which are approximations.
  }
  for (const blockTag of [receipt.blockNumber, receipt.blockNumber - 1]) {
    try {
      await ctx.provider.call({ ...call, blockTag })
    } catch (cause) {
      return `${decodeRevertReason(cause)} (replayed at block ${blockTag})`
    }
  }
  return 'reverted; replays at the block and its parent succeed, so the reason is unknown'
}

async function pollReceipt(ctx: ExecutionContext, hash: string): Promise<TransactionReceipt> {
  const { receiptTimeoutMs, receiptPollIntervalMs } = ctx.guards
  const deadline = Date.now() + receiptTimeoutMs
  for (;;) {
    let receipt: TransactionReceipt | null
    try {
      receipt = await ctx.provider.getTransactionReceipt(hash)
    } catch (cause) {
      throw new ChainReadError({ what: `receipt of ${hash}`, address: 'the RPC endpoint', cause })
    }
    if (receipt !== null) return receipt
    if (Date.now() >= deadline) throw new TransactionTimeoutError({ txHash: hash, timeoutMs: receiptTimeoutMs })
    await new Promise((resolve) => setTimeout(resolve, receiptPollIntervalMs))
  }
}

function revertError(
  action: string,
  stage: 'dry-run' | 'mined',
  reason: string,
  slippageBps: number,
  cause?: unknown,
  txHash?: string,
): SlippageExceededError | TransactionRevertedError {
  const inner = new TransactionRevertedError({ action, stage, reason, cause, ...(txHash ? { txHash } : {}) })
  if (SLIPPAGE_REASONS.some((r) => reason.includes(r))) {
    return new SlippageExceededError({ action, reason, slippageBps, cause: inner })
  }
  return inner
}
