import {
  computeInventoryDeviation,
  getAmountsForLiquidity,
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  InventoryEventStream,
} from '@alp/uniswap-lp'
import {
  addLiquidity,
  type CreatedPool,
  createPool,
  deployTestToken,
  fundAccount,
  type LocalChain,
  startLocalChain,
  swapExactInputSingle,
} from '@alp/venue-sim/chain'

/**
 * A local anvil chain with the real Uniswap v3 contracts, a WETH/USDC 0.05 % pool at 2680 USDC per WETH, and one LP
 * position (±600 ticks, the only liquidity) whose holdings are published as @alp/uniswap-lp inventory events.
 */
export type LpPool = {
  readonly chain: LocalChain
  readonly pool: CreatedPool
  readonly inventory: InventoryEventStream
  /** Reads slot0 and the LP's holdings on chain and publishes an inventory update. */
  publish(): Promise<void>
  /** The trader sells `wethRaw` WETH into the pool (the LP ends up longer WETH). */
  sellWeth(wethRaw: bigint): Promise<void>
  /** The trader sells `usdcRaw` USDC into the pool (the LP ends up shorter WETH). */
  sellUsdc(usdcRaw: bigint): Promise<void>
  /** Pool price, USDC per WETH (float, for assertions). */
  price(): Promise<number>
  stop(): Promise<void>
}

const SLOT0 = '0x3850c7bd' // slot0()

export async function startLpPool(): Promise<LpPool> {
  const chain = await startLocalChain()
  try {
    const usdc = await deployTestToken(chain, { name: 'USD Coin', symbol: 'USDC', decimals: 6 })
    const weth = await deployTestToken(chain, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 })
    const pool = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2680' })
    const wethIs0 = pool.token0 === weth
    const lp = chain.accounts[1] as string
    const trader = chain.accounts[3] as string
    await fundAccount(chain, { token: usdc, account: lp, amountRaw: 100_000n * 10n ** 6n })
    await fundAccount(chain, { token: weth, account: lp, amountRaw: 50n * 10n ** 18n })
    await fundAccount(chain, { token: usdc, account: trader, amountRaw: 100_000n * 10n ** 6n })
    await fundAccount(chain, { token: weth, account: trader, amountRaw: 50n * 10n ** 18n })
    const tick = getTickAtSqrtRatio(pool.sqrtPriceX96)
    const spacing = pool.tickSpacing
    const tickLower = Math.floor(tick / spacing) * spacing - 600
    const tickUpper = Math.floor(tick / spacing) * spacing + 600
    const wethRaw = 10n * 10n ** 18n
    const usdcRaw = 26_800n * 10n ** 6n
    const minted = await addLiquidity(chain, {
      pool,
      from: lp,
      amount0DesiredRaw: wethIs0 ? wethRaw : usdcRaw,
      amount1DesiredRaw: wethIs0 ? usdcRaw : wethRaw,
      tickLower,
      tickUpper,
    })
    const sqrtA = getSqrtRatioAtTick(tickLower)
    const sqrtB = getSqrtRatioAtTick(tickUpper)
    const readSqrtPrice = async (): Promise<bigint> => {
      const result = await chain.provider.call({ to: pool.pool, data: SLOT0 })
      return BigInt(result.slice(0, 66))
    }
    const holdings = async () => {
      const sqrtPriceX96 = await readSqrtPrice()
      const amounts = getAmountsForLiquidity(sqrtPriceX96, sqrtA, sqrtB, minted.liquidity)
      return { sqrtPriceX96, amount0Raw: amounts.amount0, amount1Raw: amounts.amount1 }
    }
    // Target = the share held at the start, so the first update has (almost) no excess.
    const start = await holdings()
    const share = computeInventoryDeviation({
      ...start,
      baseToken: wethIs0 ? 'token0' : 'token1',
      targetBaseShare: 0.5,
    }).baseShare
    const inventory = new InventoryEventStream({
      source: `uniswap-v3:${chain.chainId}:${pool.pool}`,
      decimals0: wethIs0 ? 18 : 6,
      decimals1: wethIs0 ? 6 : 18,
      baseToken: wethIs0 ? 'token0' : 'token1',
      targetBaseShare: Number(share.toFixed(6)),
    })
    const price = async (): Promise<number> => {
      const sqrtPriceX96 = await readSqrtPrice()
      const raw1Per0 = Number((sqrtPriceX96 * sqrtPriceX96 * 10n ** 36n) / 2n ** 192n) / 1e36
      return wethIs0 ? raw1Per0 * 1e12 : 1 / (raw1Per0 * 1e-12)
    }
    return {
      chain,
      pool,
      inventory,
      async publish() {
        const now = await holdings()
        const usdPerWeth = (await price()).toFixed(6)
        inventory.publish({
          tsMs: Date.now(),
          ...now,
          prices: wethIs0 ? { token0: usdPerWeth, token1: '1' } : { token0: '1', token1: usdPerWeth },
        })
      },
      async sellWeth(amountInRaw) {
        await swapExactInputSingle(chain, { from: trader, tokenIn: weth, tokenOut: usdc, feePips: 500, amountInRaw })
      },
      async sellUsdc(amountInRaw) {
        await swapExactInputSingle(chain, { from: trader, tokenIn: usdc, tokenOut: weth, feePips: 500, amountInRaw })
      },
      price,
      stop: () => chain.stop(),
    }
  } catch (error) {
    await chain.stop()
    throw error
  }
}
