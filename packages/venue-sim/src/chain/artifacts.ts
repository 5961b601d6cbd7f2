import type { InterfaceAbi } from 'ethers'
import testErc20 from '../../artifacts/TestERC20.json' with { type: 'json' }
import { moduleRequire } from './moduleRequire.js'

/** A compiled contract: ABI plus creation bytecode (0x-prefixed). */
export type ContractArtifact = {
  readonly contractName: string
  readonly abi: InterfaceAbi
  readonly bytecode: string
}

export type UniswapArtifactName =
  | 'UniswapV3Factory'
  | 'UniswapV3Pool'
  | 'NonfungiblePositionManager'
  | 'SwapRouter'
  | 'QuoterV2'
  | 'TickLens'
  | 'WETH9'

const artifactPaths: Readonly<Record<UniswapArtifactName, string>> = {
  UniswapV3Factory: '@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json',
  UniswapV3Pool: '@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json',
  NonfungiblePositionManager:
    '@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json',
  SwapRouter: '@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json',
  QuoterV2: '@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json',
  TickLens: '@uniswap/v3-periphery/artifacts/contracts/lens/TickLens.sol/TickLens.json',
  WETH9: '@uniswap/v2-periphery/build/WETH9.json',
}

const cache = new Map<UniswapArtifactName, ContractArtifact>()

/**
 * The official compiled artifact of a Uniswap contract, read from the npm packages (`@uniswap/v3-core`,
 * `@uniswap/v3-periphery`, `@uniswap/v2-periphery` for WETH9). Cached per process.
 */
export function loadUniswapArtifact(name: UniswapArtifactName): ContractArtifact {
  const cached = cache.get(name)
  if (cached !== undefined) return cached
  const raw = moduleRequire()(artifactPaths[name]) as { abi: InterfaceAbi; bytecode: string }
  const bytecode = raw.bytecode.startsWith('0x') ? raw.bytecode : `0x${raw.bytecode}`
  const artifact = { contractName: name, abi: raw.abi, bytecode }
  cache.set(name, artifact)
  return artifact
}

/** The committed TestERC20 artifact (settable decimals, open `mint`), compiled by scripts/compile-erc20.mjs. */
export function loadTestErc20Artifact(): ContractArtifact {
  return { contractName: testErc20.contractName, abi: testErc20.abi as InterfaceAbi, bytecode: testErc20.bytecode }
}
