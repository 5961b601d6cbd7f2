export {
  AnvilBinaryNotFoundError,
  AnvilStartError,
  ChainRpcError,
  ChainTransactionRevertedError,
  InvalidPoolParametersError,
} from '../errors/chain.js'
export {
  type AddLiquidityErrorType,
  type AddLiquidityParameters,
  type AddLiquidityReturnType,
  addLiquidity,
} from './addLiquidity.js'
export {
  type ContractArtifact,
  loadTestErc20Artifact,
  loadUniswapArtifact,
  type UniswapArtifactName,
} from './artifacts.js'
export { createLocalProvider } from './createLocalProvider.js'
export { type CreatedPool, type CreatePoolErrorType, type CreatePoolParameters, createPool } from './createPool.js'
export { type DeployContractErrorType, deployContract } from './deployContract.js'
export { type DeployTestTokenErrorType, type DeployTestTokenParameters, deployTestToken } from './deployTestToken.js'
export { type DeployUniswapV3ErrorType, deployUniswapV3 } from './deployUniswapV3.js'
export {
  type EncodePriceSqrtX96ErrorType,
  type EncodePriceSqrtX96Parameters,
  encodePriceSqrtX96,
  sqrtFloor,
} from './encodePriceSqrtX96.js'
export {
  type EvmControlErrorType,
  increaseTime,
  mineBlock,
  revertToSnapshot,
  setNextBlockTimestamp,
  takeSnapshot,
} from './evmControl.js'
export { findFreePort } from './findFreePort.js'
export { type FundAccountErrorType, type FundAccountParameters, fundAccount } from './fundAccount.js'
export type { LocalChain, UniswapV3Deployment } from './localChain.js'
export * from './replay/index.js'
export { type ResolveAnvilPathErrorType, resolveAnvilPath } from './resolveAnvilPath.js'
export {
  type LocalTransactionReceipt,
  type LocalTransactionRequest,
  revertReasonOf,
  type SendLocalTransactionErrorType,
  sendLocalTransaction,
} from './sendLocalTransaction.js'
export { type AnvilInstance, type StartAnvilErrorType, type StartAnvilParameters, startAnvil } from './startAnvil.js'
export { type StartLocalChainErrorType, type StartLocalChainParameters, startLocalChain } from './startLocalChain.js'
export {
  type SwapExactInputSingleErrorType,
  type SwapExactInputSingleParameters,
  type SwapExactInputSingleReturnType,
  swapExactInputSingle,
} from './swapExactInputSingle.js'
