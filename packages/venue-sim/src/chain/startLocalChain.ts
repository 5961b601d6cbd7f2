import { HDNodeWallet, Mnemonic } from 'ethers'
import { ChainRpcError } from '../errors/chain.js'
import { createLocalProvider } from './createLocalProvider.js'
import { deployUniswapV3 } from './deployUniswapV3.js'
import type { LocalChain } from './localChain.js'
import { type StartAnvilParameters, startAnvil } from './startAnvil.js'

export type StartLocalChainParameters = StartAnvilParameters

export type StartLocalChainErrorType =
  | import('./startAnvil.js').StartAnvilErrorType
  | import('../errors/chain.js').ChainTransactionRevertedError
  | ChainRpcError

/** anvil's default, publicly known development mnemonic. */
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk'

/**
 * Starts anvil on a free loopback port and deploys the real Uniswap v3 contracts (see `deployUniswapV3`).
 * If deployment fails, anvil is stopped before the error propagates.
 */
export async function startLocalChain(parameters: StartLocalChainParameters = {}): Promise<LocalChain> {
  const anvil = await startAnvil(parameters)
  const provider = createLocalProvider(anvil.rpcUrl, anvil.chainId)
  const stop = async (): Promise<void> => {
    provider.destroy()
    await anvil.stop()
  }
  try {
    let accounts: string[]
    try {
      accounts = (await provider.send('eth_accounts', [])) as string[]
    } catch (cause) {
      throw new ChainRpcError({ method: 'eth_accounts', cause })
    }
    const deployer = accounts[0]
    if (deployer === undefined) throw new ChainRpcError({ method: 'eth_accounts', cause: new Error('no accounts') })
    const uniswap = await deployUniswapV3(provider, deployer)
    const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(ANVIL_MNEMONIC), "m/44'/60'/0'/0")
    const testPrivateKeys = accounts.map((_, index) => root.deriveChild(index).privateKey)
    return {
      rpcUrl: anvil.rpcUrl,
      chainId: anvil.chainId,
      pid: anvil.pid,
      provider,
      accounts,
      testPrivateKeys,
      uniswap,
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
