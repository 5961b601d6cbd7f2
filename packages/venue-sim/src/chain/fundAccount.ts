import { Interface, MaxUint256 } from 'ethers'
import { loadTestErc20Artifact } from './artifacts.js'
import type { LocalChain } from './localChain.js'
import { sendLocalTransaction } from './sendLocalTransaction.js'

export type FundAccountParameters = {
  /** A TestERC20 deployed by `deployTestToken`. */
  token: string
  /** Receives the minted tokens. */
  account: string
  amountRaw: bigint
  /**
   * Contracts `account` approves for the maximum amount (needs `account` to be an unlocked anvil account).
   * Default: the position manager and the swap router.
   */
  spenders?: readonly string[] | undefined
}

export type FundAccountErrorType = import('../errors/chain.js').ChainTransactionRevertedError

/** Mints `amountRaw` of a test token to `account` and approves `spenders` for MaxUint256. */
export async function fundAccount(chain: LocalChain, parameters: FundAccountParameters): Promise<void> {
  const erc20 = new Interface(loadTestErc20Artifact().abi)
  const { token, account, amountRaw } = parameters
  await sendLocalTransaction(
    chain.provider,
    { from: chain.accounts[0]!, to: token, data: erc20.encodeFunctionData('mint', [account, amountRaw]) },
    'mint test token',
  )
  const spenders = parameters.spenders ?? [chain.uniswap.positionManager, chain.uniswap.swapRouter]
  for (const spender of spenders) {
    await sendLocalTransaction(
      chain.provider,
      { from: account, to: token, data: erc20.encodeFunctionData('approve', [spender, MaxUint256]) },
      'approve test token',
    )
  }
}
