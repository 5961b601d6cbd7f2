import type { InventoryUpdate } from '../inventory/types.js'
import type { ModelQuote, RangePlannerConfig } from '../planner/types.js'
import type { RebalanceDecision, RebalancePolicyConfig } from '../policy/types.js'
import type { PnlSnapshot } from '../valuation/pnlTypes.js'
import type { UsdPrices } from '../valuation/valueInUsd.js'
import type { LpManagerCheckpointStore } from './checkpointStore.js'
import type { Holdings } from './computeHoldings.js'
import type { LpRebalanceRequest } from './decideLpAction.js'
import type { LpRebalanceExecution } from './describeExecution.js'
import type { JsonRpc } from './jsonRpc.js'

/**
 * The write side, injected: `execute` runs one rebalance (close the NFTs, mint the ranges) as a persisted plan and
 * resolves when it is done; `resume` finishes or reconciles a plan a crash left behind (called once, first, on start).
 */
export type LpManagerExecutor = {
  execute(request: LpRebalanceRequest): Promise<unknown>
  resume(): Promise<unknown>
  /** The plan in progress, if any (shown by snapshot()). */
  pendingPlan?(): unknown
}

export type LpManagerOptions = {
  rpc: JsonRpc
  pool: string
  positionManager: string
  /** The wallet whose positions and balances are managed. */
  owner: string
  baseToken: 'token0' | 'token1'
  /**
   * The inventory target: share of the value held in the base token (default 0.5). The same number goes to the
   * inventory stream, to the policy's deviation and to the planner.
   */
  targetBaseShare?: number | undefined
  /** Act only on blocks this deep (0: the head). */
  confirmations: number
  /** Most blocks per eth_getLogs (default 500; nodes cap the logs per answer, a busy pool logs ~10 per block). */
  maxBlockRange?: number | undefined
  /** Processed blocks kept for reorg roll-back (default 256). */
  reorgWindowBlocks?: number | undefined
  policy: RebalancePolicyConfig
  planner: RangePlannerConfig
  /** Gas units per operation for the policy's gas cost (the backtester's gasUsed; default mint 500k, burn 200k, collect 150k). */
  gasUsed?: { mint: number; burn: number; collect: number } | undefined
  /** null: observe and publish only, never rebalance. */
  executor: LpManagerExecutor | null
  checkpoint?: LpManagerCheckpointStore | undefined
  /** Multicall3 address; null forces one call per read. Default: the canonical address when it has code. */
  multicall3?: string | null | undefined
  /** USD prices at a pool price. Default: the quote token is worth 1 USD, the base token the pool price. */
  usdPricesAt?: ((sqrtPriceX96: bigint) => UsdPrices) | undefined
  /** USD per native token (gas). Default: the base token's USD price (WETH pools). */
  nativeUsdPriceAt?: ((sqrtPriceX96: bigint) => string) | undefined
  /** Finds our token ids at a block (default: ERC-721 enumeration of the position manager). */
  discoverTokenIds?: ((p: { blockNumber: number }) => Promise<readonly bigint[]>) | undefined
  /**
   * Gas price for the policy's gas cost, wei (default: the node's eth_gasPrice). The backtester's gas model, a fee
   * oracle or a cap can be plugged in here.
   */
  gasPriceWei?: (() => Promise<bigint>) | undefined
  /** Wall clock, ms (default Date.now). */
  nowMs?: (() => number) | undefined
  /**
   * Unchanged holdings (checked against the chain by a step) are published again once the last inventory update is
   * this old, ms (default 15 000): the hedger halts when the LP inventory is older than its
   * `hedge.lpInventoryStaleAfterMs` (default 60 000), so this must stay well below that bound.
   */
  inventoryHeartbeatMs?: number | undefined
}

export type LpManagerRange = {
  tokenId: string
  tickLower: number
  tickUpper: number
  liquidity: bigint
  /** base: the widest range with liquidity; limit: the limit of the last rebalance this instance ran; other: anything else. */
  role: 'base' | 'limit' | 'other'
}

/** Everything the manager knows, at its last processed block. */
export type LpManagerSnapshot = {
  lastProcessedBlock: number
  lastProcessedHash: string
  holdings: Holdings | null
  ranges: LpManagerRange[]
  uncollectedFees: { amount0Raw: bigint; amount1Raw: bigint }
  pnl: PnlSnapshot | null
  /** Fees collected since the baseline, gas paid, pool logs seen (from the chain's logs). */
  feesCollected: { amount0Raw: bigint; amount1Raw: bigint }
  gasPaidWei: bigint
  poolLogs: number
  swaps: number
  lastDecision: RebalanceDecision | null
  pendingPlan: unknown
  modelQuote: ModelQuote | null
  /** The suggestRange hint in force (setRangeHalfWidthBps / setRangeHalfWidthTicks). */
  rangeHalfWidthHint: { bps: number } | { ticks: number } | null
  readMode: 'multicall3' | 'individual'
  /** eth_calls the holdings reads sent so far. */
  ethCalls: number
  lastInventory: InventoryUpdate | null
  /**
   * The last rebalance this instance executed (the `'executed'` payload without the executor's raw `result`); null
   * before the first. A role that subscribes after `start()` (which may already have rebalanced) reads it here.
   */
  lastExecution?: Omit<LpRebalanceExecution, 'result'> | null | undefined
}

export type LpManagerStepReport = {
  processedBlock: number
  reorg: { commonBlock: number; replacedHead: number } | null
  logs: number
  refreshed: boolean
  published: InventoryUpdate | null
  decision: RebalanceDecision | null
  executed: LpRebalanceRequest | null
}

export type LpManagerEvents = {
  inventory: [update: InventoryUpdate]
  holdings: [holdings: Holdings]
  reorg: [reorg: { commonBlock: number; replacedHead: number }]
  decision: [decision: RebalanceDecision, request: LpRebalanceRequest | null]
  /** A rebalance the executor completed: what it closed, swapped and minted, with tx hashes and gas paid. */
  executed: [execution: LpRebalanceExecution]
  error: [error: unknown]
}
