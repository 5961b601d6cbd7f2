export {
  ChainReadError,
  type ChainReadErrorType,
  InsufficientBalanceError,
  type InsufficientBalanceErrorType,
  SignerConfigError,
  type SignerConfigErrorType,
  SlippageExceededError,
  type SlippageExceededErrorType,
  TransactionRevertedError,
  type TransactionRevertedErrorType,
  TransactionTimeoutError,
  type TransactionTimeoutErrorType,
  TwapDeviationError,
  type TwapDeviationErrorType,
  TwapUnavailableError,
  type TwapUnavailableErrorType,
  UnknownPoolLogError,
  type UnknownPoolLogErrorType,
  WrongChainError,
  type WrongChainErrorType,
} from '../errors/chain.js'
export { erc20Abi } from './abi/erc20Abi.js'
export { multicall3Abi } from './abi/multicall3Abi.js'
export { nonfungiblePositionManagerAbi } from './abi/nonfungiblePositionManagerAbi.js'
export { quoterV2Abi } from './abi/quoterV2Abi.js'
export { swapRouterAbi } from './abi/swapRouterAbi.js'
export { uniswapV3PoolAbi } from './abi/uniswapV3PoolAbi.js'
export { type ApplySlippageErrorType, applySlippage, assertSlippageBps } from './applySlippage.js'
export { type AssertBalancesErrorType, assertBalances } from './assertBalances.js'
export { type AssertChainIdErrorType, assertChainId } from './assertChainId.js'
export { type AssertExecutionGuardsErrorType, assertExecutionGuards } from './assertExecutionGuards.js'
export { type AssertTwapDeviationErrorType, assertTwapDeviation, checkTwapDeviation } from './assertTwapDeviation.js'
export { type CallContractErrorType, type CallContractParameters, callContract } from './callContract.js'
export {
  type DecodePoolLogErrorType,
  decodePoolLog,
  POOL_EVENT_TOPICS,
  type PoolBurnEvent,
  type PoolCollectEvent,
  type PoolEvent,
  type PoolMintEvent,
  type PoolSwapEvent,
} from './decodePoolLog.js'
export { decodeRevertReason } from './decodeRevertReason.js'
export {
  type DiscoverPositionsErrorType,
  type DiscoverPositionsParameters,
  type DiscoverPositionsReturnType,
  discoverPositions,
} from './discoverPositions.js'
export { type EnsureAllowanceErrorType, ensureAllowance } from './ensureAllowance.js'
export { type ExecuteBurnErrorType, executeBurn } from './executeBurn.js'
export {
  closeAmountsFromReceipt,
  type ExecuteClosePositionErrorType,
  type ExecuteClosePositionReturnType,
  executeClosePosition,
} from './executeClosePosition.js'
export { type ExecuteCollectErrorType, type ExecuteCollectReturnType, executeCollect } from './executeCollect.js'
export {
  type ExecuteDecreaseLiquidityErrorType,
  type ExecuteDecreaseLiquidityReturnType,
  executeDecreaseLiquidity,
} from './executeDecreaseLiquidity.js'
export {
  type ExecuteIncreaseLiquidityErrorType,
  type ExecuteIncreaseLiquidityReturnType,
  executeIncreaseLiquidity,
} from './executeIncreaseLiquidity.js'
export { type ExecuteMintErrorType, type ExecuteMintReturnType, executeMint } from './executeMint.js'
export {
  type ExecuteRebalanceErrorType,
  type ExecuteRebalanceParameters,
  type ExecuteRebalanceReturnType,
  executeRebalance,
} from './executeRebalance.js'
export {
  type ExecuteSwapErrorType,
  type ExecuteSwapReturnType,
  executeSwapExactInputSingle,
} from './executeSwapExactInputSingle.js'
export type {
  ExecutionContext,
  ExecutionGuards,
  PreparedTransaction,
  TransactionTransport,
} from './executionContext.js'
export { type GuardPoolErrorType, guardPool } from './guardPool.js'
export {
  erc20Interface,
  multicall3Interface,
  poolInterface,
  positionManagerInterface,
  quoterV2Interface,
  swapRouterInterface,
} from './interfaces.js'
export { type LoadSignerErrorType, loadSignerFromEnv, loadSignerFromKeystore } from './loadSigner.js'
export { type ManagerEvents, parseManagerEvents } from './parseManagerEvents.js'
export { type DecreasePlan, type PlanDecreaseErrorType, planDecrease } from './planDecrease.js'
export { type MintPlan, type PlanMintErrorType, type PlanMintParameters, planMint } from './planMint.js'
export { type ReadDeadlineErrorType, readDeadline } from './readDeadline.js'
export { type NftPosition, type ReadNftPositionErrorType, readNftPosition } from './readNftPosition.js'
export { type PoolImmutables, type ReadPoolImmutablesErrorType, readPoolImmutables } from './readPoolImmutables.js'
export {
  computePositionKey,
  type PoolPosition,
  type ReadPoolPositionErrorType,
  readPoolPosition,
} from './readPoolPosition.js'
export { type PoolState, type ReadPoolStateErrorType, readPoolState } from './readPoolState.js'
export { type ReadTickErrorType, readTick, type TickInfo } from './readTick.js'
export { meanTickFromCumulatives, type ReadTwapTickErrorType, readTwapTick } from './readTwapTick.js'
export { type ReadUncollectedFeesErrorType, readUncollectedFees, type UncollectedFees } from './readUncollectedFees.js'
export {
  type GuardedTransactionRequest,
  type SendGuardedTransactionErrorType,
  sendGuardedTransaction,
} from './sendGuardedTransaction.js'
