import type { InterfaceAbi } from 'ethers'
import type { ContractArtifact } from '../artifacts.js'
import replayLiquidity from './ReplayLiquidity.json' with { type: 'json' }

/**
 * The committed ReplayLiquidity artifact (the replayer's background LP: exact-liquidity mint/burn on a pool),
 * compiled by `src/chain/replay/compileReplayLiquidity.mjs`.
 */
export function loadReplayLiquidityArtifact(): ContractArtifact {
  return {
    contractName: replayLiquidity.contractName,
    abi: replayLiquidity.abi as InterfaceAbi,
    bytecode: replayLiquidity.bytecode,
  }
}
