import type { Provider } from 'ethers'
import { InsufficientBalanceError } from '../errors/chain.js'
import { callContract } from './callContract.js'
import { erc20Interface } from './interfaces.js'

export type AssertBalancesErrorType = InsufficientBalanceError | import('../errors/chain.js').ChainReadError

/** Throws `InsufficientBalanceError` for the first token whose balance in `account` is below the required amount. */
export async function assertBalances(
  provider: Provider,
  account: string,
  required: readonly { token: string; amountRaw: bigint }[],
): Promise<void> {
  for (const { token, amountRaw } of required) {
    if (amountRaw === 0n) continue
    const result = await callContract(provider, {
      to: token,
      iface: erc20Interface,
      functionName: 'balanceOf',
      args: [account],
    })
    const availableRaw = BigInt(result[0])
    if (availableRaw < amountRaw) {
      throw new InsufficientBalanceError({ token, account, requiredRaw: amountRaw, availableRaw })
    }
  }
}
