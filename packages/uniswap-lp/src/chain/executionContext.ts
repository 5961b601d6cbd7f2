import type { JsonRpcProvider, Signer, TransactionReceipt } from 'ethers'

/** Guards every executor transaction applies. All fields are required: no silent defaults for safety limits. */
export type ExecutionGuards = {
  /** Chain id the provider must report (eth_chainId is asked before every transaction). */
  expectedChainId: bigint
  /** Tolerance for minimum amounts, in basis points of the planned amounts (50 = 0.5 %). */
  slippageBps: number
  /** Transaction deadline, seconds after the latest block's timestamp. */
  deadlineSec: number
  /** Refuse to act when |spot tick − TWAP tick over `windowSec`| > `maxDeviationTicks`. */
  twap: { windowSec: number; maxDeviationTicks: number }
  /** Gas limit = eth_estimateGas × (10 000 + padding) / 10 000 (anvil and real nodes can under-estimate swaps). */
  gasLimitPaddingBps: number
  /** How long to wait for a receipt after broadcasting (then TransactionTimeoutError: outcome unknown). */
  receiptTimeoutMs: number
  /** Receipt polling interval (default 50 ms on a local node is fine; use ~1 000 ms on mainnet). */
  receiptPollIntervalMs: number
}

/** Everything an executor call needs: where to send, who signs, and the guards. */
export type ExecutionContext = {
  provider: JsonRpcProvider
  /** From `loadSignerFromEnv` or `loadSignerFromKeystore`; never logged. */
  signer: Signer
  positionManager: string
  /** Needed only for a rebalance with a swap. */
  swapRouter?: string | undefined
  /** Needed only for a rebalance with a swap (sets the swap's minimum output). */
  quoterV2?: string | undefined
  guards: ExecutionGuards
  /**
   * Local clock (ms since the epoch), default `Date.now`: a deadline read from a chain tip older than
   * `guards.deadlineSec` by this clock is refused with `StaleChainTipError`. On a chain whose block times are not
   * wall-clock time (a replayed day on anvil), pass that chain's clock, or null to skip the check.
   */
  nowMs?: (() => number) | null | undefined
  /**
   * Who signs, broadcasts and waits (nonce, fees, replacement). Unset: `sendGuardedTransaction` does it itself
   * (pending nonce, node fees, one broadcast). The persisted rebalance plan sets one per step.
   */
  transport?: TransactionTransport | undefined
}

/** A transaction that passed every guard (chain id, dry run) and has its padded gas limit: ready to sign. */
export type PreparedTransaction = {
  readonly from: string
  readonly to: string
  readonly data: string
  readonly value: bigint
  readonly gasLimit: bigint
  readonly chainId: bigint
  readonly action: string
}

/** Signs, broadcasts and waits for a prepared transaction; returns the mined receipt (any status). */
export type TransactionTransport = {
  sendAndWait(tx: PreparedTransaction): Promise<TransactionReceipt>
}
