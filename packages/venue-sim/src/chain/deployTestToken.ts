import { loadTestErc20Artifact } from './artifacts.js'
import { deployContract } from './deployContract.js'
import type { LocalChain } from './localChain.js'

export type DeployTestTokenParameters = {
  name: string
  symbol: string
  decimals: number
}

export type DeployTestTokenErrorType = import('./deployContract.js').DeployContractErrorType

/** Deploys a TestERC20 (open `mint`, given decimals) from `accounts[0]` and returns its address. */
export function deployTestToken(
  chain: LocalChain,
  { name, symbol, decimals }: DeployTestTokenParameters,
): Promise<string> {
  const deployer = chain.accounts[0]!
  return deployContract(chain.provider, deployer, loadTestErc20Artifact(), [name, symbol, decimals])
}
