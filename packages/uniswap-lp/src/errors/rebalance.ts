import { UniswapLpError } from './base.js'

// Errors of the persisted rebalance plan and its transaction layer (nonce manager, fee cap, replacement).
const docsPath = 'https://github.com/alp-sdk/alp/blob/main/packages/uniswap-lp/README.md#rebalance-as-a-persisted-plan'

export type StaleChainTipErrorType = StaleChainTipError & { name: 'StaleChainTipError' }

/**
 * The latest block the RPC endpoint serves is older than the deadline window: a deadline computed from it
 * (tip timestamp + window) is already in the past, so the contract would revert "Transaction too old".
 */
export class StaleChainTipError extends UniswapLpError {
  override name = 'StaleChainTipError' as const
  readonly blockNumber: number
  readonly blockTimestampSec: number
  readonly blockAgeSec: number
  readonly deadlineSec: number

  constructor(p: { blockNumber: number; blockTimestampSec: number; blockAgeSec: number; deadlineSec: number }) {
    super(
      `Transaction too old: the chain tip (block ${p.blockNumber}) is ${p.blockAgeSec} s old, more than the ${p.deadlineSec} s deadline window.`,
      {
        code: 'STALE_CHAIN_TIP',
        docsPath,
        metaMessages: [
          'Nothing was sent: a deadline from this tip is already past.',
          'Next: the RPC endpoint is lagging or the chain is halted; switch endpoints or wait for new blocks.',
        ],
      },
    )
    this.blockNumber = p.blockNumber
    this.blockTimestampSec = p.blockTimestampSec
    this.blockAgeSec = p.blockAgeSec
    this.deadlineSec = p.deadlineSec
  }
}

export type MaxFeeExceededErrorType = MaxFeeExceededError & { name: 'MaxFeeExceededError' }

/** The fee the chain needs now (base fee + priority fee) is above `maxFeePerGasCapWei`: nothing is sent. */
export class MaxFeeExceededError extends UniswapLpError {
  override name = 'MaxFeeExceededError' as const
  readonly field = 'maxFeePerGasCapWei' as const
  readonly requiredFeePerGasWei: bigint
  readonly maxFeePerGasCapWei: bigint
  readonly action: string

  constructor(p: { action: string; requiredFeePerGasWei: bigint; maxFeePerGasCapWei: bigint; waitedMs?: number }) {
    super(
      `${p.action}: the chain needs ${p.requiredFeePerGasWei} wei/gas, above maxFeePerGasCapWei = ${p.maxFeePerGasCapWei}.`,
      {
        code: 'MAX_FEE_EXCEEDED',
        docsPath,
        metaMessages: [
          p.waitedMs === undefined
            ? 'Nothing was sent.'
            : `Nothing was sent (waited ${p.waitedMs} ms for fees to fall).`,
          'Next: wait for the gas spike to pass, or raise maxFeePerGasCapWei deliberately.',
        ],
      },
    )
    this.requiredFeePerGasWei = p.requiredFeePerGasWei
    this.maxFeePerGasCapWei = p.maxFeePerGasCapWei
    this.action = p.action
  }
}

export type NonceConflictErrorType = NonceConflictError & { name: 'NonceConflictError' }

/** The nonce our transaction used was consumed by a transaction that is not ours (another process signs for the wallet). */
export class NonceConflictError extends UniswapLpError {
  override name = 'NonceConflictError' as const
  readonly nonce: number
  readonly account: string
  readonly ourHashes: readonly string[]

  constructor(p: { nonce: number; account: string; ourHashes: readonly string[] }) {
    super(`Nonce ${p.nonce} of ${p.account} was used by a transaction that is not ours.`, {
      code: 'NONCE_CONFLICT',
      docsPath,
      metaMessages: [
        `Our transactions for it (none mined): ${p.ourHashes.join(', ') || 'none'}.`,
        'Next: make sure only one process signs for this wallet, then resume the plan (it re-reads the chain).',
      ],
    })
    this.nonce = p.nonce
    this.account = p.account
    this.ourHashes = p.ourHashes
  }
}

export type GasExceedsGainErrorType = GasExceedsGainError & { name: 'GasExceedsGainError' }

/** The gas of all the plan's steps at the current fee is more than the expected fee gain over the next interval. */
export class GasExceedsGainError extends UniswapLpError {
  override name = 'GasExceedsGainError' as const
  readonly expectedGainWei: bigint
  readonly gasCostWei: bigint
  readonly gasUnits: bigint
  readonly feePerGasWei: bigint
  readonly minGainToGasRatio: number

  constructor(p: {
    expectedGainWei: bigint
    gasCostWei: bigint
    gasUnits: bigint
    feePerGasWei: bigint
    minGainToGasRatio: number
  }) {
    super(
      `Rebalance refused: expected fee gain ${p.expectedGainWei} wei < gas cost ${p.gasCostWei} wei × ${p.minGainToGasRatio} (${p.gasUnits} gas at ${p.feePerGasWei} wei/gas).`,
      {
        code: 'GAS_EXCEEDS_GAIN',
        docsPath,
        metaMessages: [
          'Nothing was sent.',
          'Next: keep the current positions; re-check when fees fall or the gain grows.',
        ],
      },
    )
    this.expectedGainWei = p.expectedGainWei
    this.gasCostWei = p.gasCostWei
    this.gasUnits = p.gasUnits
    this.feePerGasWei = p.feePerGasWei
    this.minGainToGasRatio = p.minGainToGasRatio
  }
}

export type RebalancePlanStoreErrorType = RebalancePlanStoreError & { name: 'RebalancePlanStoreError' }

/** The persisted plan cannot be read or written (I/O error, corrupt JSON, unknown schema version). */
export class RebalancePlanStoreError extends UniswapLpError {
  override name = 'RebalancePlanStoreError' as const
  readonly path: string
  readonly operation: 'load' | 'save' | 'clear'

  constructor(p: { path: string; operation: 'load' | 'save' | 'clear'; problem: string; cause?: unknown }) {
    super(`Rebalance plan store ${p.path}: ${p.operation} failed (${p.problem}).`, {
      code: 'REBALANCE_PLAN_STORE',
      cause: p.cause,
      docsPath,
      metaMessages: ['Next: check the file and its directory; never delete a plan file of an unfinished rebalance.'],
    })
    this.path = p.path
    this.operation = p.operation
  }
}

export type RebalancePlanStateErrorType = RebalancePlanStateError & { name: 'RebalancePlanStateError' }

/** The plan and the chain disagree in a way the resume cannot settle by itself (it refuses rather than guess). */
export class RebalancePlanStateError extends UniswapLpError {
  override name = 'RebalancePlanStateError' as const
  readonly planId: string
  readonly step: number

  constructor(p: { planId: string; step: number; problem: string }) {
    super(`Rebalance plan ${p.planId}, step ${p.step}: ${p.problem}.`, {
      code: 'REBALANCE_PLAN_STATE',
      docsPath,
      metaMessages: ['Next: inspect the plan file and the wallet on a block explorer before resuming.'],
    })
    this.planId = p.planId
    this.step = p.step
  }
}
