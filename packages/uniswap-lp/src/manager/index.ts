export { applyLedgerBlock, type LedgerBlock, type LedgerContext, ledgerTxHashesOfInterest } from './applyLedgerBlock.js'
export {
  type BatchCall,
  type BatchCallResult,
  type BatchReader,
  type CreateBatchReaderParameters,
  createBatchReader,
} from './batchReader.js'
export type { BlockHeader, ChainLog, ChainSource, TxGas } from './chainTypes.js'
export {
  createFileCheckpointStore,
  createMemoryCheckpointStore,
  type LpManagerCheckpointStore,
} from './checkpointStore.js'
export { computeHoldings, type HeldPosition, type Holdings, holdingsChanged } from './computeHoldings.js'
export {
  type CreateRebalancePlanExecutorParameters,
  createRebalancePlanExecutor,
} from './createRebalancePlanExecutor.js'
export { createRpcChainSource } from './createRpcChainSource.js'
export {
  type DecideLpActionParameters,
  type DecideLpActionReturnType,
  decideLpAction,
  type LpRebalanceRequest,
  pickBaseRange,
} from './decideLpAction.js'
export { describeExecution, type LpRebalanceExecution } from './describeExecution.js'
export {
  ChainMovedError,
  type ChainMovedErrorType,
  LpManagerStateError,
  type LpManagerStateErrorType,
  ReorgTooDeepError,
  type ReorgTooDeepErrorType,
  RpcReadError,
  type RpcReadErrorType,
} from './errors.js'
export {
  EXPECTED_GAIN_WINDOW_MS,
  estimateExpectedGainUsd,
  type FeeSample,
  pruneFeeSamples,
} from './estimateExpectedGain.js'
export { type CreateHttpJsonRpcParameters, createHttpJsonRpc, type JsonRpc } from './jsonRpc.js'
export { createLpManager, DEFAULT_INVENTORY_HEARTBEAT_MS, LpManager } from './LpManager.js'
export { appendLedgerEntry, createLedger, ledgerHead, parseLedger, rollbackLedger, serializeLedger } from './ledger.js'
export type { Ledger, LedgerEntry, LedgerState } from './ledgerState.js'
export {
  type ChainHoldingsRead,
  type ChainPositionRead,
  enumerateOwnedTokenIds,
  positionEnumerationInterface,
  type ReadChainHoldingsParameters,
  readChainHoldings,
} from './readChainHoldings.js'
export { type SyncChainErrorType, type SyncChainParameters, type SyncChainReturnType, syncChain } from './syncChain.js'
export type {
  LpManagerEvents,
  LpManagerExecutor,
  LpManagerOptions,
  LpManagerRange,
  LpManagerSnapshot,
  LpManagerStepReport,
} from './types.js'
