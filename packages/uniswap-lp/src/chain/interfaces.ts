import { Interface } from 'ethers'
import { erc20Abi } from './abi/erc20Abi.js'
import { multicall3Abi } from './abi/multicall3Abi.js'
import { nonfungiblePositionManagerAbi } from './abi/nonfungiblePositionManagerAbi.js'
import { quoterV2Abi } from './abi/quoterV2Abi.js'
import { swapRouterAbi } from './abi/swapRouterAbi.js'
import { uniswapV3PoolAbi } from './abi/uniswapV3PoolAbi.js'

/** ethers Interfaces built once from the human-readable ABIs. */
export const poolInterface: Interface = new Interface(uniswapV3PoolAbi)
export const positionManagerInterface: Interface = new Interface(nonfungiblePositionManagerAbi)
export const swapRouterInterface: Interface = new Interface(swapRouterAbi)
export const quoterV2Interface: Interface = new Interface(quoterV2Abi)
export const erc20Interface: Interface = new Interface(erc20Abi)
export const multicall3Interface: Interface = new Interface(multicall3Abi)
