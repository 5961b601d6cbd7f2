/**
 * The write side of the live LP manager: a rebalance as a persisted, crash-safe plan.
 *
 * API (for the manager):
 *
 *   const plan = planRebalance({ pool, close: [tokenId, …], swap?: { zeroForOne, amountInRaw },
 *                                mints: [{ role: 'base', tickLower, tickUpper }, { role: 'limit', … }],
 *                                reserve?: { amount0Raw, amount1Raw } })           // pure, no I/O
 *   const store = new FileRebalancePlanStore('/var/lib/alp/rebalance-plan.json')   // or MemoryRebalancePlanStore
 *   const policy: TransactionPolicy = { maxFeePerGasCapWei, onFeeAboveCap: 'fail' | { wait: { pollMs, maxWaitMs } },
 *                                       replaceAfterMs }
 *   const result = await executeRebalancePlan(ctx, { plan, store, policy, gasVsGain?: { expectedGainWei } })
 *   // on start, ALWAYS first:  const r = await resumeRebalancePlan(ctx, { store, policy })  (null: no plan)
 *   // then read r.minted / r.closed and `await store.clear()` once the holdings are rebuilt.
 *
 * - Steps run in order: close every NFT (decrease all + collect all + burn, one multicall), the optional swap, then
 *   one mint per range; each mint is funded from the wallet balances present when it runs, minus `reserve` (base
 *   takes what it can at its ratio, limit takes the rest). A range with nothing to fund it is `skipped`.
 * - The plan is saved before the first transaction, with every signed hash BEFORE its broadcast, and after every
 *   step. `result.minted[i].tokenId` are the new NFTs; `plan.steps[i].txs` every hash sent (replacements included).
 * - Errors (typed, from '../errors/rebalance.js'): GasExceedsGainError (before anything is sent; carries
 *   expectedGainWei and gasCostWei), MaxFeeExceededError (field 'maxFeePerGasCapWei'), NonceConflictError,
 *   StaleChainTipError (deadline from a tip older than the window), RebalancePlanStateError, RebalancePlanStoreError,
 *   plus the executor's guard errors (WrongChainError, TwapDeviationError, SlippageExceededError, …). After any of
 *   them mid-plan the store holds a consistent plan: call resumeRebalancePlan later (never planRebalance again).
 * - discoverPositions(provider, { positionManager, owner, pool }) (src/chain) lists our NFTs in the pool after a
 *   restart (Multicall3-batched when the chain has it).
 */
export {
  type ExecuteRebalancePlanErrorType,
  type ExecuteRebalancePlanParameters,
  executeRebalancePlan,
  type RebalancePlanHooks,
  type RebalancePlanResult,
  type ResumeRebalancePlanParameters,
  resumeRebalancePlan,
} from './executeRebalancePlan.js'
export { bumpFees, chooseFees, type FeeFields, minReplacementFee } from './fees.js'
export { type CheckGasVsGainReturnType, checkGasVsGain, DEFAULT_STEP_GAS, estimatePlanGas } from './gasVsGain.js'
export { NonceManager } from './nonceManager.js'
export { type PlanRebalanceErrorType, planRebalance } from './planRebalance.js'
export {
  deserializeRebalancePlan,
  FileRebalancePlanStore,
  MemoryRebalancePlanStore,
  type RebalancePlanStore,
  serializeRebalancePlan,
} from './planStore.js'
export { PlanTransport, type PlanTransportOptions, readFeeInputs } from './planTransport.js'
export type {
  CloseStep,
  GasVsGain,
  MintStep,
  PlanRebalanceParameters,
  RebalancePlan,
  RebalanceStep,
  SentTransaction,
  StepStatus,
  SwapStep,
  TransactionPolicy,
} from './types.js'
