import type { PnlState } from '../valuation/pnlTypes.js'

/**
 * What the manager has derived from the logs of the blocks it processed. Rebuilt exactly by replaying the same
 * canonical blocks (see applyLedgerBlock); on a reorg the manager restores the state kept at the last common block.
 */
export type LedgerState = {
  /** Token ids of our positions (decimal strings, ascending). */
  readonly tokenIds: readonly string[]
  /** Principal released by DecreaseLiquidity and not collected yet, per token id (a Collect pays it before fees). */
  readonly principalOwed: Readonly<Record<string, { readonly amount0Raw: bigint; readonly amount1Raw: bigint }>>
  /** The PnL accumulator shared with the backtester's valuation (applyPnlEvent). */
  readonly pnl: PnlState
  /** Fees collected by our positions, raw units. */
  readonly feesCollected0Raw: bigint
  readonly feesCollected1Raw: bigint
  /** Gas paid by our transactions seen in the logs, wei. */
  readonly gasPaidWei: bigint
  /** Pool Swap / Mint / Burn / Collect logs applied. */
  readonly poolLogs: number
  readonly swaps: number
  /** Pool price after the last Swap applied, or at the baseline (the price PnL events are valued at). */
  readonly sqrtPriceX96: bigint
  /** PnL events that could not be applied (e.g. a withdraw from a position the baseline never saw). */
  readonly anomalies: number
}

/** One processed block: its hash and the state after it. */
export type LedgerEntry = { readonly number: number; readonly hash: string; readonly state: LedgerState }

/**
 * The follower's whole memory: the last processed block and a window of earlier ones (hash + state), so that a reorg
 * can roll back to the last common block without re-reading from genesis.
 */
export type Ledger = {
  /** Ascending by number; the last entry is the processed block. */
  readonly entries: readonly LedgerEntry[]
  /** How many entries to keep (the deepest reorg that can be undone, counted in processed steps). */
  readonly window: number
}
