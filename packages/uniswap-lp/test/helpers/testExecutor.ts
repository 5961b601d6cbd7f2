import { executeBurn } from '../../src/chain/executeBurn.js'
import { executeCollect } from '../../src/chain/executeCollect.js'
import { executeDecreaseLiquidity } from '../../src/chain/executeDecreaseLiquidity.js'
import { executeMint } from '../../src/chain/executeMint.js'
import { planDecrease } from '../../src/chain/planDecrease.js'
import { planMint } from '../../src/chain/planMint.js'
import { readNftPosition } from '../../src/chain/readNftPosition.js'
import { readPoolState } from '../../src/chain/readPoolState.js'
import type { LpRebalanceRequest } from '../../src/manager/decideLpAction.js'
import type { LpManagerExecutor } from '../../src/manager/types.js'
import { getLiquidityForAmounts } from '../../src/math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../../src/math/tickMath.js'
import type { ChainFixture } from '../src/chainFixture.js'

/**
 * A plain, non-persisted executor for the manager's tests, built from the guarded chain functions: close each NFT
 * (decrease all, collect all, burn), then mint each range from the wallet (the base takes what it can, the limit the
 * rest). It stands in for the write side's persisted plan executor (src/rebalance), which the binding injects.
 */
export function createTestExecutor(f: ChainFixture): LpManagerExecutor & {
  readonly executed: LpRebalanceRequest[]
  readonly resumed: number
  readonly minted: bigint[]
} {
  const executed: LpRebalanceRequest[] = []
  const minted: bigint[] = []
  let resumed = 0
  const ctx = f.context()
  const pool = f.pool.pool
  return {
    executed,
    minted,
    get resumed() {
      return resumed
    },
    async resume() {
      resumed++
    },
    async execute(request) {
      executed.push(request)
      for (const tokenId of request.close) {
        const nft = await readNftPosition(f.chain.provider, {
          positionManager: f.chain.uniswap.positionManager,
          tokenId,
        })
        if (nft.liquidity > 0n) {
          const state = await readPoolState(f.chain.provider, pool)
          const plan = planDecrease({
            tokenId,
            tickLower: nft.tickLower,
            tickUpper: nft.tickUpper,
            positionLiquidity: nft.liquidity,
            liquidity: nft.liquidity,
            sqrtPriceX96: state.sqrtPriceX96,
            slippageBps: f.guards.slippageBps,
          })
          await executeDecreaseLiquidity(ctx, { pool, plan })
        }
        await executeCollect(ctx, { pool, tokenId })
        await executeBurn(ctx, { pool, tokenId })
      }
      const owner = await f.lp.getAddress()
      for (const mint of request.mints) {
        const state = await readPoolState(f.chain.provider, pool)
        const amount0 = await f.balanceOf(f.pool.token0, owner)
        const amount1 = await f.balanceOf(f.pool.token1, owner)
        const liquidity = getLiquidityForAmounts(
          state.sqrtPriceX96,
          getSqrtRatioAtTick(mint.tickLower),
          getSqrtRatioAtTick(mint.tickUpper),
          amount0,
          amount1,
        )
        if (liquidity === 0n) continue
        const plan = planMint({
          pool: f.pool,
          sqrtPriceX96: state.sqrtPriceX96,
          tickCurrent: state.tick,
          tickLower: mint.tickLower,
          tickUpper: mint.tickUpper,
          amount0DesiredRaw: amount0,
          amount1DesiredRaw: amount1,
          slippageBps: f.guards.slippageBps,
        })
        minted.push((await executeMint(ctx, plan)).tokenId)
      }
    },
  }
}
