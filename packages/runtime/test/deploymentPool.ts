import {
  computeInventoryDeviation,
  getAmountsForLiquidity,
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  InventoryEventStream,
  type InventoryUpdate,
} from '@alp/uniswap-lp'
import {
  addLiquidity,
  createPool,
  deployTestToken,
  fundAccount,
  type LocalChain,
  startLocalChain,
  swapExactInputSingle,
} from '@alp/venue-sim/chain'

/**
 * Test harness of the deployment tests: anvil with the real Uniswap v3 contracts, a WETH/USDC 0.05 % pool at 2680 USDC
 * per WETH and one LP position (±600 ticks, the only liquidity). Its holdings are read on chain and published as
 * `@alp/uniswap-lp` inventory updates through an `InventoryEventStream`: the source the lp-manager role publishes on
 * the bus (in place of the live LP manager, which would also rebalance).
 */
export type DeploymentPool = {
  readonly chain: LocalChain
  readonly inventory: InventoryEventStream
  readonly poolAddress: string
  /** Reads the LP's holdings at the pool price on chain and publishes one update; returns it. */
  publish(): Promise<InventoryUpdate>
  /** A trader sells `wethRaw` WETH into the pool: the LP ends up longer WETH. */
  sellWeth(wethRaw: bigint): Promise<void>
  stop(): Promise<void>
}

const SLOT0 = '0x3850c7bd'

export async function startDeploymentPool(): Promise<DeploymentPool> {
  const chain = await startLocalChain()
  try {
    const usdc = await deployTestToken(chain, { name: 'USD Coin', symbol: 'USDC', decimals: 6 })
    const weth = await deployTestToken(chain, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 })
    const pool = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2680' })
    const wethIs0 = pool.token0 === weth
    const lp = chain.accounts[1] as string
    const trader = chain.accounts[3] as string
    for (const account of [lp, trader]) {
      await fundAccount(chain, { token: usdc, account, amountRaw: 100_000n * 10n ** 6n })
      await fundAccount(chain, { token: weth, account, amountRaw: 50n * 10n ** 18n })
    }
    const spacing = pool.tickSpacing
    const centre = Math.floor(getTickAtSqrtRatio(pool.sqrtPriceX96) / spacing) * spacing
    const tickLower = centre - 600
    const tickUpper = centre + 600
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
    const readSqrtPrice = async (): Promise<bigint> =>
      BigInt((await chain.provider.call({ to: pool.pool, data: SLOT0 })).slice(0, 66))
    const holdings = async () => {
      const sqrtPriceX96 = await readSqrtPrice()
      const amounts = getAmountsForLiquidity(
        sqrtPriceX96,
        getSqrtRatioAtTick(tickLower),
        getSqrtRatioAtTick(tickUpper),
        minted.liquidity,
      )
      return { sqrtPriceX96, amount0Raw: amounts.amount0, amount1Raw: amounts.amount1 }
    }
    const baseToken = wethIs0 ? 'token0' : 'token1'
    // The target is the share held at the start: the first update has (almost) no excess.
    const share = computeInventoryDeviation({ ...(await holdings()), baseToken, targetBaseShare: 0.5 }).baseShare
    const inventory = new InventoryEventStream({
      source: `uniswap-v3:${chain.chainId}:${pool.pool}`,
      decimals0: wethIs0 ? 18 : 6,
      decimals1: wethIs0 ? 6 : 18,
      baseToken,
      targetBaseShare: Number(share.toFixed(6)),
    })
    const usdPerWeth = async (): Promise<string> => {
      const sqrtPriceX96 = await readSqrtPrice()
      const raw1Per0 = Number((sqrtPriceX96 * sqrtPriceX96 * 10n ** 36n) / 2n ** 192n) / 1e36
      return (wethIs0 ? raw1Per0 * 1e12 : 1 / (raw1Per0 * 1e-12)).toFixed(6)
    }
    return {
      chain,
      inventory,
      poolAddress: pool.pool,
      async publish() {
        const now = await holdings()
        const price = await usdPerWeth()
        return inventory.publish({
          tsMs: Date.now(),
          ...now,
          prices: wethIs0 ? { token0: price, token1: '1' } : { token0: '1', token1: price },
        })
      },
      async sellWeth(amountInRaw) {
        await swapExactInputSingle(chain, { from: trader, tokenIn: weth, tokenOut: usdc, feePips: 500, amountInRaw })
      },
      stop: () => chain.stop(),
    }
  } catch (error) {
    await chain.stop()
    throw error
  }
}
