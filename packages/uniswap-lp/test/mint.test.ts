import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { executeBurn } from '../src/chain/executeBurn.js'
import { executeCollect } from '../src/chain/executeCollect.js'
import { executeDecreaseLiquidity } from '../src/chain/executeDecreaseLiquidity.js'
import { executeIncreaseLiquidity } from '../src/chain/executeIncreaseLiquidity.js'
import { executeMint } from '../src/chain/executeMint.js'
import { positionManagerInterface } from '../src/chain/interfaces.js'
import { planDecrease } from '../src/chain/planDecrease.js'
import { planMint } from '../src/chain/planMint.js'
import { readNftPosition } from '../src/chain/readNftPosition.js'
import { readPoolPosition } from '../src/chain/readPoolPosition.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { ChainReadError } from '../src/errors/chain.js'
import { getAmountsForLiquidity } from '../src/math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../src/math/tickMath.js'
import { nearestUsableTick } from '../src/math/tickSpacing.js'
import { planRanges } from '../src/planner/planRanges.js'
import { type ChainFixture, setupChainFixture } from './src/chainFixture.js'

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

/** An asymmetric range around the current tick: 10 spacings below, 25 above. */
async function planAroundSpot(amount0DesiredRaw: bigint, amount1DesiredRaw: bigint) {
  const state = await readPoolState(f.chain.provider, f.pool.pool)
  const center = nearestUsableTick(state.tick, f.pool.tickSpacing)
  return planMint({
    pool: f.pool,
    sqrtPriceX96: state.sqrtPriceX96,
    tickCurrent: state.tick,
    tickLower: center - 10 * f.pool.tickSpacing,
    tickUpper: center + 25 * f.pool.tickSpacing,
    amount0DesiredRaw,
    amount1DesiredRaw,
    slippageBps: f.guards.slippageBps,
  })
}

const desired = () => ({
  amount0: f.pool.token0 === f.usdc ? 20_000n * 10n ** 6n : 10n * 10n ** 18n,
  amount1: f.pool.token1 === f.usdc ? 20_000n * 10n ** 6n : 10n * 10n ** 18n,
})

describe('mint, increase, decrease, collect and burn on the real contracts', () => {
  it('mints a planned range exactly as planned: ticks, liquidity and amounts to the wei', async () => {
    const plan = await planAroundSpot(desired().amount0, desired().amount1)
    const owner = await f.lp.getAddress()
    const before0 = await f.balanceOf(f.pool.token0, owner)
    const before1 = await f.balanceOf(f.pool.token1, owner)
    const minted = await executeMint(f.context(), plan)

    // The contract's IncreaseLiquidity event.
    expect(minted.liquidity).toBe(plan.liquidity)
    expect(minted.amount0Raw).toBe(plan.amount0ExpectedRaw)
    expect(minted.amount1Raw).toBe(plan.amount1ExpectedRaw)
    // Rounded up by the pool: at most 1 wei above the rounded-down getAmountsForLiquidity.
    const down = getAmountsForLiquidity(
      plan.sqrtPriceX96,
      getSqrtRatioAtTick(plan.tickLower),
      getSqrtRatioAtTick(plan.tickUpper),
      plan.liquidity,
    )
    expect(minted.amount0Raw - down.amount0).toBeGreaterThanOrEqual(0n)
    expect(minted.amount0Raw - down.amount0).toBeLessThanOrEqual(1n)
    expect(minted.amount1Raw - down.amount1).toBeGreaterThanOrEqual(0n)
    expect(minted.amount1Raw - down.amount1).toBeLessThanOrEqual(1n)
    // Never more than desired.
    expect(minted.amount0Raw <= plan.amount0DesiredRaw && minted.amount1Raw <= plan.amount1DesiredRaw).toBe(true)

    // positions() on the position manager and on the pool.
    const nft = await readNftPosition(f.chain.provider, {
      positionManager: f.chain.uniswap.positionManager,
      tokenId: minted.tokenId,
    })
    expect([nft.tickLower, nft.tickUpper, nft.liquidity]).toEqual([plan.tickLower, plan.tickUpper, plan.liquidity])
    expect([nft.token0, nft.token1, nft.feePips]).toEqual([f.pool.token0, f.pool.token1, 500])
    const poolPosition = await readPoolPosition(f.chain.provider, {
      pool: f.pool.pool,
      owner: f.chain.uniswap.positionManager,
      tickLower: plan.tickLower,
      tickUpper: plan.tickUpper,
    })
    expect(poolPosition.liquidity).toBe(plan.liquidity)
    // The wallet paid exactly the event amounts.
    expect(before0 - (await f.balanceOf(f.pool.token0, owner))).toBe(minted.amount0Raw)
    expect(before1 - (await f.balanceOf(f.pool.token1, owner))).toBe(minted.amount1Raw)
  })

  it('increases, decreases (amounts = getAmountsForLiquidity to the wei), collects and burns', async () => {
    const plan = await planAroundSpot(desired().amount0, desired().amount1)
    const minted = await executeMint(f.context(), plan)
    const increasePlan = planMint({
      ...plan,
      amount0DesiredRaw: plan.amount0DesiredRaw / 2n,
      amount1DesiredRaw: plan.amount1DesiredRaw / 2n,
    })
    const increased = await executeIncreaseLiquidity(f.context(), { tokenId: minted.tokenId, plan: increasePlan })
    expect(increased.liquidity).toBe(increasePlan.liquidity)
    expect([increased.amount0Raw, increased.amount1Raw]).toEqual([
      increasePlan.amount0ExpectedRaw,
      increasePlan.amount1ExpectedRaw,
    ])
    const total = plan.liquidity + increasePlan.liquidity
    const nft = await readNftPosition(f.chain.provider, {
      positionManager: f.chain.uniswap.positionManager,
      tokenId: minted.tokenId,
    })
    expect(nft.liquidity).toBe(total)

    const state = await readPoolState(f.chain.provider, f.pool.pool)
    const decreasePlan = planDecrease({
      tokenId: minted.tokenId,
      tickLower: plan.tickLower,
      tickUpper: plan.tickUpper,
      positionLiquidity: total,
      liquidity: total,
      sqrtPriceX96: state.sqrtPriceX96,
      slippageBps: f.guards.slippageBps,
    })
    const decreased = await executeDecreaseLiquidity(f.context(), { pool: f.pool.pool, plan: decreasePlan })
    const expected = getAmountsForLiquidity(
      state.sqrtPriceX96,
      getSqrtRatioAtTick(plan.tickLower),
      getSqrtRatioAtTick(plan.tickUpper),
      total,
    )
    expect([decreased.amount0Raw, decreased.amount1Raw]).toEqual([expected.amount0, expected.amount1])
    // No swaps happened, so no fees: collect pays exactly the decreased principal.
    const collected = await executeCollect(f.context(), { pool: f.pool.pool, tokenId: minted.tokenId })
    expect([collected.amount0Raw, collected.amount1Raw]).toEqual([expected.amount0, expected.amount1])

    await executeBurn(f.context(), { pool: f.pool.pool, tokenId: minted.tokenId })
    await expect(
      readNftPosition(f.chain.provider, { positionManager: f.chain.uniswap.positionManager, tokenId: minted.tokenId }),
    ).rejects.toBeInstanceOf(ChainReadError)
  })

  it('swaps through SwapRouter move the position amounts exactly as getAmountsForLiquidity predicts', async () => {
    const plan = await planAroundSpot(desired().amount0, desired().amount1)
    const minted = await executeMint(f.context(), plan)
    const owner = await f.lp.getAddress()
    const sqrtLower = getSqrtRatioAtTick(plan.tickLower)
    const sqrtUpper = getSqrtRatioAtTick(plan.tickUpper)
    const contractAmounts = async () => {
      // What the position manager would pay for removing all liquidity now (eth_call from the owner).
      const data = positionManagerInterface.encodeFunctionData('decreaseLiquidity', [
        { tokenId: minted.tokenId, liquidity: plan.liquidity, amount0Min: 0n, amount1Min: 0n, deadline: 2n ** 40n },
      ])
      const result = positionManagerInterface.decodeFunctionResult(
        'decreaseLiquidity',
        await f.chain.provider.call({ from: owner, to: f.chain.uniswap.positionManager, data }),
      )
      return { amount0: BigInt(result.amount0), amount1: BigInt(result.amount1) }
    }
    const start = await readPoolState(f.chain.provider, f.pool.pool)
    const targets = [start.tick + 120, start.tick - 80, plan.tickUpper + 30, plan.tickLower - 30]
    let previous = await contractAmounts()
    for (const target of targets) {
      await f.moveTickTo(target)
      const state = await readPoolState(f.chain.provider, f.pool.pool)
      const predicted = getAmountsForLiquidity(state.sqrtPriceX96, sqrtLower, sqrtUpper, plan.liquidity)
      const actual = await contractAmounts()
      expect(actual).toEqual(predicted)
      // Price up (token1 per token0): the position sold token0 for token1, and the reverse when down.
      if (state.tick > start.tick) expect(actual.amount0 <= previous.amount0 || state.tick >= plan.tickUpper).toBe(true)
      previous = actual
    }
    // Above the range the position is all token1, below it all token0.
    const last = await readPoolState(f.chain.provider, f.pool.pool)
    expect(last.tick).toBeLessThan(plan.tickLower)
    expect(previous.amount1).toBe(0n)
    expect(previous.amount0).toBeGreaterThan(0n)
  })

  it('the range planner (base + limit from an AS quote) is minted exactly as planned, both positions', async () => {
    const state = await readPoolState(f.chain.provider, f.pool.pool)
    const wethIsToken0 = f.pool.token0 === f.weth
    const rangePlan = planRanges({
      // Human prices in USDC per WETH: the model quotes around 2000 with a reservation price below it (long inventory).
      quote: { midPrice: 2000, reservationPrice: 1996, bidDepth: 6, askDepth: 6 },
      pool: { sqrtPriceX96: state.sqrtPriceX96, tick: state.tick, feePips: f.pool.feePips },
      orientation: {
        baseToken: wethIsToken0 ? 'token0' : 'token1',
        decimals0: wethIsToken0 ? 18 : 6,
        decimals1: wethIsToken0 ? 6 : 18,
      },
      balances: {
        amount0Raw: wethIsToken0 ? 8n * 10n ** 18n : 10_000n * 10n ** 6n,
        amount1Raw: wethIsToken0 ? 10_000n * 10n ** 6n : 8n * 10n ** 18n,
      },
      config: {
        width: { mode: 'fixed', baseThresholdTicks: 200, limitThresholdTicks: 100 },
        baseCenter: 'pool',
        limitPlacement: 'adjacent',
        minBaseHalfWidthTicks: 0,
        minLimitWidthTicks: 10,
        baseContainsPrice: true,
      },
    })
    const positions = [rangePlan.base, ...(rangePlan.limit === null ? [] : [rangePlan.limit])]
    expect(positions).toHaveLength(2)
    for (const planned of positions) {
      const plan = planMint({
        pool: f.pool,
        sqrtPriceX96: state.sqrtPriceX96,
        tickCurrent: state.tick,
        tickLower: planned.tickLower,
        tickUpper: planned.tickUpper,
        amount0DesiredRaw: planned.amount0Raw,
        amount1DesiredRaw: planned.amount1Raw,
        slippageBps: f.guards.slippageBps,
      })
      const minted = await executeMint(f.context(), plan)
      expect([minted.liquidity, minted.amount0Raw, minted.amount1Raw]).toEqual([
        planned.liquidity,
        planned.amount0Raw,
        planned.amount1Raw,
      ])
      const nft = await readNftPosition(f.chain.provider, {
        positionManager: f.chain.uniswap.positionManager,
        tokenId: minted.tokenId,
      })
      expect([nft.tickLower, nft.tickUpper, nft.liquidity]).toEqual([
        planned.tickLower,
        planned.tickUpper,
        planned.liquidity,
      ])
    }
  })
})
