import { concat, getAddress, Interface, type JsonRpcProvider } from 'ethers'
import { ChainTransactionRevertedError } from '../errors/chain.js'
import type { ContractArtifact } from './artifacts.js'
import { sendLocalTransaction } from './sendLocalTransaction.js'

export type DeployContractErrorType = ChainTransactionRevertedError

/** Deploys `artifact` from an unlocked account and returns the new contract's checksummed address. */
export async function deployContract(
  provider: JsonRpcProvider,
  from: string,
  artifact: ContractArtifact,
  constructorArgs: readonly unknown[] = [],
): Promise<string> {
  const encodedArgs = new Interface(artifact.abi).encodeDeploy(constructorArgs)
  const receipt = await sendLocalTransaction(
    provider,
    { from, data: concat([artifact.bytecode, encodedArgs]) },
    `deploy ${artifact.contractName}`,
  )
  if (receipt.contractAddress === null) {
    throw new ChainTransactionRevertedError({
      label: `deploy ${artifact.contractName}`,
      reason: 'the receipt has no contract address',
      txHash: receipt.transactionHash,
    })
  }
  return getAddress(receipt.contractAddress)
}
