import type { JsonRpcProvider } from 'ethers'

/** Addresses of the Uniswap v3 contracts deployed on a local chain. */
export type UniswapV3Deployment = {
  readonly factory: string
  readonly positionManager: string
  readonly swapRouter: string
  readonly quoterV2: string
  readonly tickLens: string
  readonly weth9: string
}

/** A running anvil with the real Uniswap v3 contracts. Pass it to the chain helpers; call `stop()` when done. */
export type LocalChain = {
  readonly rpcUrl: string
  readonly chainId: number
  readonly pid: number
  readonly provider: JsonRpcProvider
  /** anvil's unlocked accounts (10 000 ETH each); `accounts[0]` deployed the contracts. */
  readonly accounts: readonly string[]
  /**
   * Private keys of `accounts` (anvil's public "test test … junk" mnemonic). Test keys only: they are known to everyone.
   */
  readonly testPrivateKeys: readonly string[]
  readonly uniswap: UniswapV3Deployment
  stop(): Promise<void>
}
