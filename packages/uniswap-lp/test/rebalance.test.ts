import { increaseTime } from '@alp/venue-sim/chain'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { executeMint } from '../src/chain/executeMint.js'
import { executeRebalance } from '../src/chain/executeRebalance.js'
import { planMint } from '../src/chain/planMint.js'
import { readNftPosition } from '../src/chain/readNftPosition.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { readUncollectedFees } from '../src/chain/readUncollectedFees.js'
import { ChainReadError } from '../src/errors/chain.js'
import { getAmountsForLiquidity } from '../src/math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../src/math/tickMath.js'
import { nearestUsableTick } from '../src/math/tickSpacing.js'
import { type ChainFixture, setupChainFixture, TWAP_WINDOW_SEC } from './src/chainFixture.js'

let f: ChainFixture
beforeAll(async () => {
  f = await setupChainFixture()
})
afterAll(async () => {
  await f?.chain.stop()
})
beforeEach(async () => {
  await f.reset()
})

describe('rebalance end to end on the real contracts', () => {
  it('exits (decrease + collect + burn in one multicall), swaps, and mints the new range with the freed amounts', async () => {
    const owner = await f.lp.getAddress()
    const state0 = await readPoolState(f.chain.provider, f.pool.pool)
    const center0 = nearestUsableTick(state0.tick, f.pool.tickSpacing)
    const plan = planMint({
      pool: f.pool,
      sqrtPriceX96: state0.sqrtPriceX96,
      tickCurrent: state0.tick,
      tickLower: center0 - 5 * f.pool.tickSpacing,
      tickUpper: center0 + 5 * f.pool.tickSpacing,
      amount0DesiredRaw: f.pool.token0 === f.usdc ? 40_000n * 10n ** 6n : 20n * 10n ** 18n,
      amount1DesiredRaw: f.pool.token1 === f.usdc ? 40_000n * 10n ** 6n : 20n * 10n ** 18n,
      slippageBps: f.guards.slippageBps,
    })
    const old = await executeMint(f.context(), plan)

    // The market moves through and beyond the range (fees accrue), then settles long enough for the TWAP to agree.
    await f.moveTickTo(state0.tick + 45)
    await f.moveTickTo(plan.tickUpper + 80)
    await increaseTime(f.chain, 2 * TWAP_WINDOW_SEC)
    const state1 = await readPoolState(f.chain.provider, f.pool.pool)
    expect(state1.tick).toBeGreaterThanOrEqual(plan.tickUpper)
    const fees = await readUncollectedFees(f.chain.provider, {
      pool: f.pool.pool,
      positionManager: f.chain.uniswap.positionManager,
      tokenId: old.tokenId,
    })
    // Above the range the position is all token1; the principal the exit will return, to the wei:
    const principal = getAmountsForLiquidity(
      state1.sqrtPriceX96,
      getSqrtRatioAtTick(plan.tickLower),
      getSqrtRatioAtTick(plan.tickUpper),
      plan.liquidity,
    )
    expect(principal.amount0).toBe(0n)

    const before0 = await f.balanceOf(f.pool.token0, owner)
    const before1 = await f.balanceOf(f.pool.token1, owner)
    const center1 = nearestUsableTick(state1.tick, f.pool.tickSpacing)
    const tickLower = center1 - 8 * f.pool.tickSpacing
    const tickUpper = center1 + 8 * f.pool.tickSpacing
    const result = await executeRebalance(f.context(), {
      pool: f.pool,
      tokenId: old.tokenId,
      tickLower,
      tickUpper,
      // Sell half of the token1 principal for token0 so the new two-sided range can be funded.
      swap: { zeroForOne: false, amountInRaw: principal.amount1 / 2n },
    })

    // Exit: principal to the wei, collect = principal + the fees the library predicted, old NFT burned.
    expect([result.exit.decreased0Raw, result.exit.decreased1Raw]).toEqual([principal.amount0, principal.amount1])
    expect(result.exit.collected0Raw).toBe(principal.amount0 + fees.amount0Raw)
    expect(result.exit.collected1Raw).toBe(principal.amount1 + fees.amount1Raw)
    await expect(
      readNftPosition(f.chain.provider, { positionManager: f.chain.uniswap.positionManager, tokenId: old.tokenId }),
    ).rejects.toBeInstanceOf(ChainReadError)

    // Swap: token1 in, token0 out, at least the quoted minimum.
    const swap = result.swap!
    expect(swap.amount1Raw).toBe(principal.amount1 / 2n)
    expect(-swap.amount0Raw).toBeGreaterThanOrEqual(swap.amountOutMinimumRaw)

    // New position: the requested range, funded from the freed amounts only.
    const nft = await readNftPosition(f.chain.provider, {
      positionManager: f.chain.uniswap.positionManager,
      tokenId: result.mint.tokenId,
    })
    expect([nft.tickLower, nft.tickUpper, nft.liquidity]).toEqual([tickLower, tickUpper, result.mint.liquidity])
    expect(result.mint.liquidity).toBeGreaterThan(0n)
    const freed0 = result.exit.collected0Raw - swap.amount0Raw
    const freed1 = result.exit.collected1Raw - swap.amount1Raw
    expect(result.mint.amount0Raw).toBeLessThanOrEqual(freed0)
    expect(result.mint.amount1Raw).toBeLessThanOrEqual(freed1)
    // Wallet: + collected − swap deltas − minted, to the wei.
    expect((await f.balanceOf(f.pool.token0, owner)) - before0).toBe(freed0 - result.mint.amount0Raw)
    expect((await f.balanceOf(f.pool.token1, owner)) - before1).toBe(freed1 - result.mint.amount1Raw)
  })

  it('without a swap: the price left the range upward, all token1 goes into a one-sided range just below the price', async () => {
    const state0 = await readPoolState(f.chain.provider, f.pool.pool)
    const center0 = nearestUsableTick(state0.tick, f.pool.tickSpacing)
    const plan = planMint({
      pool: f.pool,
      sqrtPriceX96: state0.sqrtPriceX96,
      tickCurrent: state0.tick,
      tickLower: center0 - 3 * f.pool.tickSpacing,
      tickUpper: center0 + 3 * f.pool.tickSpacing,
      amount0DesiredRaw: f.pool.token0 === f.usdc ? 40_000n * 10n ** 6n : 20n * 10n ** 18n,
      amount1DesiredRaw: f.pool.token1 === f.usdc ? 40_000n * 10n ** 6n : 20n * 10n ** 18n,
      slippageBps: f.guards.slippageBps,
    })
    const old = await executeMint(f.context(), plan)
    await f.moveTickTo(plan.tickUpper + 55)
    await increaseTime(f.chain, 2 * TWAP_WINDOW_SEC)
    const state1 = await readPoolState(f.chain.provider, f.pool.pool)
    // Token1-only range: [floor(tick) - 6 spacings, floor(tick)] lies at or below the current tick.
    const tickUpper = Math.floor(state1.tick / f.pool.tickSpacing) * f.pool.tickSpacing
    const tickLower = tickUpper - 6 * f.pool.tickSpacing
    const result = await executeRebalance(f.context(), { pool: f.pool, tokenId: old.tokenId, tickLower, tickUpper })
    expect(result.swap).toBeNull()
    expect(result.exit.decreased0Raw).toBe(0n)
    expect(result.mint.amount0Raw).toBe(0n)
    expect(result.mint.amount1Raw).toBeLessThanOrEqual(result.exit.collected1Raw)
    // getLiquidityForAmount1 floors the liquidity, so at most a few wei of token1 stay in the wallet.
    const expected = getAmountsForLiquidity(
      state1.sqrtPriceX96,
      getSqrtRatioAtTick(tickLower),
      getSqrtRatioAtTick(tickUpper),
      result.mint.liquidity,
    )
    expect(result.mint.amount1Raw - expected.amount1).toBeLessThanOrEqual(1n)
    const nft = await readNftPosition(f.chain.provider, {
      positionManager: f.chain.uniswap.positionManager,
      tokenId: result.mint.tokenId,
    })
    expect([nft.tickLower, nft.tickUpper]).toEqual([tickLower, tickUpper])
  })
})
