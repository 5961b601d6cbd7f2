import { Interface, type JsonRpcProvider, ZeroAddress } from 'ethers'
import { loadUniswapArtifact } from './artifacts.js'
import { deployContract } from './deployContract.js'
import type { UniswapV3Deployment } from './localChain.js'
import { sendLocalTransaction } from './sendLocalTransaction.js'

export type DeployUniswapV3ErrorType = import('../errors/chain.js').ChainTransactionRevertedError

/**
 * Deploys WETH9, UniswapV3Factory (fee tiers 500/10, 3000/60, 10000/200 built in; 100/1 enabled here),
 * NonfungiblePositionManager (token descriptor = zero address: `tokenURI` is not available), SwapRouter, QuoterV2 and
 * TickLens from the official npm artifacts.
 */
export async function deployUniswapV3(provider: JsonRpcProvider, deployer: string): Promise<UniswapV3Deployment> {
  const weth9 = await deployContract(provider, deployer, loadUniswapArtifact('WETH9'))
  const factoryArtifact = loadUniswapArtifact('UniswapV3Factory')
  const factory = await deployContract(provider, deployer, factoryArtifact)
  await sendLocalTransaction(
    provider,
    {
      from: deployer,
      to: factory,
      data: new Interface(factoryArtifact.abi).encodeFunctionData('enableFeeAmount', [100, 1]),
    },
    'enable fee 100',
  )
  const positionManager = await deployContract(provider, deployer, loadUniswapArtifact('NonfungiblePositionManager'), [
    factory,
    weth9,
    ZeroAddress,
  ])
  const swapRouter = await deployContract(provider, deployer, loadUniswapArtifact('SwapRouter'), [factory, weth9])
  const quoterV2 = await deployContract(provider, deployer, loadUniswapArtifact('QuoterV2'), [factory, weth9])
  const tickLens = await deployContract(provider, deployer, loadUniswapArtifact('TickLens'))
  return { factory, positionManager, swapRouter, quoterV2, tickLens, weth9 }
}
