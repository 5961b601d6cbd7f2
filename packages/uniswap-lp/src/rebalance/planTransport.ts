import { type JsonRpcProvider, type Signer, Transaction, type TransactionReceipt } from 'ethers'
import type { PreparedTransaction, TransactionTransport } from '../chain/executionContext.js'
import { ChainReadError, TransactionRevertedError, TransactionTimeoutError } from '../errors/chain.js'
import { MaxFeeExceededError, NonceConflictError } from '../errors/rebalance.js'
import { bumpFees, chooseFees, type FeeFields } from './fees.js'
import type { NonceManager } from './nonceManager.js'
import { readReceiptFromNode } from './readReceiptFromNode.js'
import type { SentTransaction, TransactionPolicy } from './types.js'

export type PlanTransportOptions = {
  provider: JsonRpcProvider
  signer: Signer
  policy: TransactionPolicy
  nonces: NonceManager
  receiptTimeoutMs: number
  pollIntervalMs: number
  nowMs: () => number
  /** Persists a signed transaction BEFORE it is broadcast (the plan saves it); a throw aborts the send. */
  record(tx: SentTransaction): Promise<void>
  /** Called after broadcast; throwing simulates a crash between broadcast and receipt. */
  afterBroadcast?: ((hash: string) => void | Promise<void>) | undefined
  /** Called after record, before broadcast; throwing simulates a crash there. */
  afterSign?: ((tx: SentTransaction) => void | Promise<void>) | undefined
  /** Called with the mined receipt before the caller saves what it learned; throwing simulates that crash. */
  afterReceipt?: ((receipt: TransactionReceipt) => void | Promise<void>) | undefined
  onReplace?: ((previous: SentTransaction, next: SentTransaction) => void) | undefined
  /**
   * Resume: transactions already signed for this step with this nonce (none mined). The new one reuses the nonce,
   * with fees bumped over the last one, and every earlier hash keeps being polled (whichever is mined wins).
   */
  reuse?: { nonce: number; previous: readonly SentTransaction[]; previousKnownToNode: boolean } | undefined
}

/** Broadcast errors after which the transaction may still be (or already be) in the node's pool: keep polling. */
const BENIGN_BROADCAST = /already known|known transaction|nonce too low|underpriced|already imported/i

/**
 * The transaction layer of one plan step: local nonce, fees under `maxFeePerGasCapWei` (wait or fail above it),
 * every signed hash recorded before broadcast, replacement of a transaction not mined after `replaceAfterMs` (same
 * nonce, both fee fields ≥ +10 % + 1 wei, capped), receipt polling over every hash, and detection of a nonce taken
 * by a transaction that is not ours. Transient read errors while waiting are retried until the receipt timeout.
 */
export class PlanTransport implements TransactionTransport {
  readonly #o: PlanTransportOptions
  /** Every transaction this step signed (all with one nonce). */
  readonly sent: SentTransaction[]

  constructor(options: PlanTransportOptions) {
    this.#o = options
    this.sent = [...(options.reuse?.previous ?? [])]
  }

  async sendAndWait(tx: PreparedTransaction): Promise<TransactionReceipt> {
    const o = this.#o
    const nonce = o.reuse?.nonce ?? o.nonces.peek()
    const start = o.nowMs()
    // A previous transaction the node still holds gets `replaceAfterMs` from its signing before it is replaced.
    let lastSentAtMs = o.reuse?.previousKnownToNode ? (this.sent.at(-1)?.signedAtMs ?? -Infinity) : -Infinity
    for (;;) {
      const receipt = await this.#findReceipt()
      if (receipt !== null) {
        o.nonces.markUsed(nonce)
        await o.afterReceipt?.(receipt)
        return receipt
      }
      if (this.sent.length > 0) await this.#assertNonceNotTaken(nonce)
      if (o.nowMs() - lastSentAtMs >= o.policy.replaceAfterMs) {
        const previous = this.sent.at(-1)
        const fees = await this.#fees(tx.action, previous, o.reuse?.previousKnownToNode ?? true)
        if (fees !== null) {
          await this.#signAndBroadcast(tx, nonce, fees, previous)
          lastSentAtMs = o.nowMs()
        }
      }
      if (o.nowMs() - start >= o.receiptTimeoutMs) {
        throw new TransactionTimeoutError({ txHash: this.sent.at(-1)?.hash ?? 'none', timeoutMs: o.receiptTimeoutMs })
      }
      await sleep(o.pollIntervalMs)
    }
  }

  async #signAndBroadcast(
    tx: PreparedTransaction,
    nonce: number,
    fees: FeeFields,
    previous: SentTransaction | undefined,
  ): Promise<void> {
    const o = this.#o
    const signed = await o.signer.signTransaction({
      type: 2,
      chainId: tx.chainId,
      nonce,
      to: tx.to,
      data: tx.data,
      value: tx.value,
      gasLimit: tx.gasLimit,
      maxFeePerGas: fees.maxFeePerGasWei,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGasWei,
    })
    const record: SentTransaction = {
      hash: Transaction.from(signed).hash!,
      nonce,
      maxFeePerGasWei: fees.maxFeePerGasWei,
      maxPriorityFeePerGasWei: fees.maxPriorityFeePerGasWei,
      signedAtMs: o.nowMs(),
    }
    await o.record(record)
    this.sent.push(record)
    if (previous !== undefined) o.onReplace?.(previous, record)
    await o.afterSign?.(record)
    try {
      await o.provider.send('eth_sendRawTransaction', [signed])
    } catch (error) {
      const e = error as { info?: { error?: { message?: unknown } }; error?: { message?: unknown } }
      const nodeMessage = e?.info?.error?.message ?? e?.error?.message
      // A node that answered with a refusal (other than "already known" / a replacement race): nothing is pending
      // under this hash. No cause: ethers' error would embed the signed transaction.
      if (typeof nodeMessage === 'string' && !BENIGN_BROADCAST.test(nodeMessage)) {
        throw new TransactionRevertedError({ action: tx.action, stage: 'broadcast', reason: nodeMessage })
      }
      // No answer (timeout, dropped response): the node may have it; the receipt polling decides.
    }
    await o.afterBroadcast?.(record.hash)
  }

  async #findReceipt(): Promise<TransactionReceipt | null> {
    for (const sent of this.sent) {
      try {
        const receipt = await readReceiptFromNode(this.#o.provider, sent.hash)
        if (receipt !== null) return receipt
      } catch {
        // Transient: polled again on the next round, until the receipt timeout.
      }
    }
    return null
  }

  async #assertNonceNotTaken(nonce: number): Promise<void> {
    let latest: number
    try {
      latest = await this.#o.nonces.latest()
    } catch {
      return
    }
    if (latest <= nonce) return
    // The nonce is used: by one of ours (its receipt may have raced the count), or by someone else's transaction.
    // The receipts are read after the count, from the node (a cached null from the poll just before would hide ours).
    for (const sent of this.sent) {
      const receipt = await readReceiptFromNode(this.#o.provider, sent.hash).catch((cause: unknown) => {
        throw new ChainReadError({ what: `receipt of ${sent.hash}`, address: 'the RPC endpoint', cause })
      })
      if (receipt !== null) return
    }
    this.#o.nonces.markUsed(nonce)
    throw new NonceConflictError({ nonce, account: this.#o.nonces.account, ourHashes: this.sent.map((s) => s.hash) })
  }

  /** Fees for the next signature; null: a replacement cannot be priced under the cap (keep waiting for the old one). */
  async #fees(
    action: string,
    previous: SentTransaction | undefined,
    previousKnown: boolean,
  ): Promise<FeeFields | null> {
    const o = this.#o
    const cap = o.policy.maxFeePerGasCapWei
    const waitStart = o.nowMs()
    for (;;) {
      const { baseFeePerGasWei, priorityFeePerGasWei } = await readFeeInputs(o.provider)
      const fresh = chooseFees({ baseFeePerGasWei, priorityFeePerGasWei, maxFeePerGasCapWei: cap })
      if (previous !== undefined) {
        const bumped = bumpFees({ previous, baseFeePerGasWei, priorityFeePerGasWei, maxFeePerGasCapWei: cap })
        if (bumped !== null) return bumped
        if (previousKnown) return null
        if (!fresh.aboveCap) return fresh
      } else if (!fresh.aboveCap) {
        return fresh
      }
      const required = fresh.aboveCap ? fresh.requiredFeePerGasWei : baseFeePerGasWei + priorityFeePerGasWei
      const waited = o.nowMs() - waitStart
      if (o.policy.onFeeAboveCap === 'fail') {
        throw new MaxFeeExceededError({ action, requiredFeePerGasWei: required, maxFeePerGasCapWei: cap })
      }
      if (waited >= o.policy.onFeeAboveCap.wait.maxWaitMs) {
        throw new MaxFeeExceededError({
          action,
          requiredFeePerGasWei: required,
          maxFeePerGasCapWei: cap,
          waitedMs: waited,
        })
      }
      await sleep(o.policy.onFeeAboveCap.wait.pollMs)
    }
  }
}

/** The latest block's base fee and the node's suggested priority fee. */
export async function readFeeInputs(
  provider: JsonRpcProvider,
): Promise<{ baseFeePerGasWei: bigint; priorityFeePerGasWei: bigint }> {
  try {
    const [block, fees] = await Promise.all([provider.getBlock('latest'), provider.getFeeData()])
    if (block === null || block.baseFeePerGas === null || fees.maxPriorityFeePerGas === null) {
      throw new Error('node reports no EIP-1559 fees')
    }
    return { baseFeePerGasWei: block.baseFeePerGas, priorityFeePerGasWei: fees.maxPriorityFeePerGas }
  } catch (cause) {
    throw new ChainReadError({ what: 'base fee and priority fee', address: 'the RPC endpoint', cause })
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
