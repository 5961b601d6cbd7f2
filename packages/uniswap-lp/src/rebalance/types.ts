import type { PoolImmutables } from '../chain/readPoolImmutables.js'

/** Every transaction sent for one step (the first and each same-nonce replacement), recorded BEFORE broadcast. */
export type SentTransaction = {
  readonly hash: string
  readonly nonce: number
  readonly maxFeePerGasWei: bigint
  readonly maxPriorityFeePerGasWei: bigint
  /** Local clock (ms) when it was signed. */
  readonly signedAtMs: number
}

/** pending: nothing sent · sent: at least one tx broadcast (or about to be), outcome not known · done · skipped. */
export type StepStatus = 'pending' | 'sent' | 'done' | 'skipped'

type StepBase = {
  readonly index: number
  status: StepStatus
  /** Every hash signed for this step; resume checks all of them. */
  txs: SentTransaction[]
  /** Why a step was skipped or how it was settled on resume (human-readable). */
  note?: string | undefined
}

/** Close one NFT: decreaseLiquidity (all, with slippage minimums) + collect (all to the owner) + burn, one multicall. */
export type CloseStep = StepBase & {
  readonly kind: 'close'
  readonly tokenId: bigint
  result?: { readonly collected0Raw: bigint; readonly collected1Raw: bigint; readonly txHash: string } | undefined
}

/** Exact-input swap through SwapRouter (guarded: QuoterV2 minimum output, TWAP, deadline). */
export type SwapStep = StepBase & {
  readonly kind: 'swap'
  readonly zeroForOne: boolean
  readonly amountInRaw: bigint
  result?: { readonly amount0Raw: bigint; readonly amount1Raw: bigint; readonly txHash: string } | undefined
}

/** Mint one range, funded from the wallet balances present when it runs (minus the plan's reserve). */
export type MintStep = StepBase & {
  readonly kind: 'mint'
  readonly role: 'base' | 'limit'
  readonly tickLower: number
  readonly tickUpper: number
  result?:
    | {
        readonly tokenId: bigint
        readonly liquidity: bigint
        readonly amount0Raw: bigint
        readonly amount1Raw: bigint
        readonly txHash: string | undefined
      }
    | undefined
}

export type RebalanceStep = CloseStep | SwapStep | MintStep

/** A rebalance written down before its first transaction; the store holds the latest version of it. */
export type RebalancePlan = {
  readonly schemaVersion: 1
  readonly id: string
  readonly createdAtMs: number
  readonly pool: PoolImmutables
  /** What the mints must leave in the wallet (e.g. funds that belong to something else). Default 0/0. */
  readonly reserve: { readonly amount0Raw: bigint; readonly amount1Raw: bigint }
  status: 'planned' | 'running' | 'done'
  /** Set when execution starts: the wallet, and the NFTs it owned in this pool before the plan (never adopted as a mint). */
  owner?: string | undefined
  startBlock?: number | undefined
  preexistingTokenIds?: bigint[] | undefined
  steps: RebalanceStep[]
}

export type PlanRebalanceParameters = {
  pool: PoolImmutables
  /** NFTs to close (each: decrease all + collect all + burn). */
  close: readonly bigint[]
  swap?: { zeroForOne: boolean; amountInRaw: bigint } | undefined
  /** One mint per range, in order (base first: it takes what it can, the limit takes the rest). */
  mints: readonly { role: 'base' | 'limit'; tickLower: number; tickUpper: number }[]
  reserve?: { amount0Raw: bigint; amount1Raw: bigint } | undefined
  /** Defaults: a random UUID and Date.now(). Pass them for deterministic plans. */
  id?: string | undefined
  createdAtMs?: number | undefined
}

/** Options of the transaction layer (nonce manager, fee cap, replacement). */
export type TransactionPolicy = {
  /** Never sign a maxFeePerGas above this (wei). */
  maxFeePerGasCapWei: bigint
  /** When the chain needs more than the cap: 'fail' at once, or wait (polling) up to maxWaitMs, then fail. */
  onFeeAboveCap: 'fail' | { wait: { pollMs: number; maxWaitMs: number } }
  /** Replace a transaction not mined after this long (same nonce, fees +10 % + 1 wei, capped). */
  replaceAfterMs: number
}

/** Pre-flight gas-vs-gain check: refuse when gain < gas of all the plan's steps × ratio. */
export type GasVsGain = {
  /** The fee income the new ranges are expected to earn over the next interval, in native wei (caller converts). */
  expectedGainWei: bigint
  /** Default 1. */
  minGainToGasRatio?: number | undefined
  /** Gas units per step kind (defaults: DEFAULT_STEP_GAS). */
  stepGas?: Partial<Record<'close' | 'swap' | 'mint', bigint>> | undefined
}
