import { getAddress, Interface } from 'ethers'
import { InvalidPoolParametersError } from '../errors/chain.js'
import { loadTestErc20Artifact, loadUniswapArtifact } from './artifacts.js'
import { encodePriceSqrtX96 } from './encodePriceSqrtX96.js'
import type { LocalChain } from './localChain.js'
import { sendLocalTransaction } from './sendLocalTransaction.js'

export type CreatePoolParameters = {
  tokenA: string
  tokenB: string
  /** 100, 500, 3000 or 10000. */
  feePips: number
} & (
  | { sqrtPriceX96: bigint; priceBPerA?: undefined }
  /** Human price of tokenA in tokenB units as a decimal string ("2000": 1 tokenA = 2000 tokenB). */
  | { priceBPerA: string; sqrtPriceX96?: undefined }
)

export type CreatedPool = {
  readonly pool: string
  readonly token0: string
  readonly token1: string
  readonly feePips: number
  readonly tickSpacing: number
  readonly sqrtPriceX96: bigint
}

export type CreatePoolErrorType =
  | InvalidPoolParametersError
  | import('../errors/chain.js').ChainTransactionRevertedError

const tickSpacings: Readonly<Record<number, number>> = { 100: 1, 500: 10, 3000: 60, 10000: 200 }

/** Creates and initializes a pool through the factory; tokens are sorted by address (token0 < token1). */
export async function createPool(chain: LocalChain, parameters: CreatePoolParameters): Promise<CreatedPool> {
  const { tokenA, tokenB, feePips } = parameters
  const tickSpacing = tickSpacings[feePips]
  if (tickSpacing === undefined) {
    throw new InvalidPoolParametersError({
      field: 'feePips',
      value: String(feePips),
      reason: 'not an enabled fee tier',
    })
  }
  if (tokenA.toLowerCase() === tokenB.toLowerCase()) {
    throw new InvalidPoolParametersError({ field: 'tokenB', value: tokenB, reason: 'equals tokenA' })
  }
  const aIsToken0 = BigInt(tokenA) < BigInt(tokenB)
  const [token0, token1] = (aIsToken0 ? [tokenA, tokenB] : [tokenB, tokenA]).map((t) => getAddress(t)) as [
    string,
    string,
  ]
  let sqrtPriceX96: bigint
  if (parameters.sqrtPriceX96 !== undefined) {
    sqrtPriceX96 = parameters.sqrtPriceX96
  } else {
    const erc20 = new Interface(loadTestErc20Artifact().abi)
    const decimalsOf = async (token: string): Promise<number> => {
      const result = await chain.provider.call({ to: token, data: erc20.encodeFunctionData('decimals') })
      return Number(erc20.decodeFunctionResult('decimals', result)[0])
    }
    const [decimals0, decimals1] = await Promise.all([decimalsOf(token0), decimalsOf(token1)])
    sqrtPriceX96 = encodePriceSqrtX96({
      price: parameters.priceBPerA,
      priceOf: aIsToken0 ? 'token0' : 'token1',
      decimals0,
      decimals1,
    })
  }
  const factory = new Interface(loadUniswapArtifact('UniswapV3Factory').abi)
  const from = chain.accounts[0]!
  await sendLocalTransaction(
    chain.provider,
    { from, to: chain.uniswap.factory, data: factory.encodeFunctionData('createPool', [token0, token1, feePips]) },
    'createPool',
  )
  const poolResult = await chain.provider.call({
    to: chain.uniswap.factory,
    data: factory.encodeFunctionData('getPool', [token0, token1, feePips]),
  })
  const pool = getAddress(String(factory.decodeFunctionResult('getPool', poolResult)[0]))
  const poolInterface = new Interface(loadUniswapArtifact('UniswapV3Pool').abi)
  await sendLocalTransaction(
    chain.provider,
    { from, to: pool, data: poolInterface.encodeFunctionData('initialize', [sqrtPriceX96]) },
    'initialize pool',
  )
  return { pool, token0, token1, feePips, tickSpacing, sqrtPriceX96 }
}
