import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { executeCollect } from '../src/chain/executeCollect.js'
import { executeMint } from '../src/chain/executeMint.js'
import { planMint } from '../src/chain/planMint.js'
import { readNftPosition } from '../src/chain/readNftPosition.js'
import { readPoolPosition } from '../src/chain/readPoolPosition.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { readTick } from '../src/chain/readTick.js'
import { readUncollectedFees } from '../src/chain/readUncollectedFees.js'
import { nearestUsableTick } from '../src/math/tickSpacing.js'
import { getUncollectedFees } from '../src/valuation/getUncollectedFees.js'
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

async function mintAroundSpot(spacingsBelow: number, spacingsAbove: number) {
  const state = await readPoolState(f.chain.provider, f.pool.pool)
  const center = nearestUsableTick(state.tick, f.pool.tickSpacing)
  const plan = planMint({
    pool: f.pool,
    sqrtPriceX96: state.sqrtPriceX96,
    tickCurrent: state.tick,
    tickLower: center - spacingsBelow * f.pool.tickSpacing,
    tickUpper: center + spacingsAbove * f.pool.tickSpacing,
    amount0DesiredRaw: f.pool.token0 === f.usdc ? 200_000n * 10n ** 6n : 100n * 10n ** 18n,
    amount1DesiredRaw: f.pool.token1 === f.usdc ? 200_000n * 10n ** 6n : 100n * 10n ** 18n,
    slippageBps: f.guards.slippageBps,
  })
  return { plan, minted: await executeMint(f.context(), plan) }
}

/** Fees from the pool's own position record (owner = the position manager) and the two ticks, same block. */
async function feesFromPoolRecord(tickLower: number, tickUpper: number) {
  const blockNumber = await f.chain.provider.getBlockNumber()
  const [state, lower, upper, position] = await Promise.all([
    readPoolState(f.chain.provider, f.pool.pool, blockNumber),
    readTick(f.chain.provider, f.pool.pool, tickLower, blockNumber),
    readTick(f.chain.provider, f.pool.pool, tickUpper, blockNumber),
    readPoolPosition(f.chain.provider, {
      pool: f.pool.pool,
      owner: f.chain.uniswap.positionManager,
      tickLower,
      tickUpper,
      blockTag: blockNumber,
    }),
  ])
  const fees = getUncollectedFees({
    ...position,
    tickLower,
    tickUpper,
    tickCurrent: state.tick,
    feeGrowthGlobal0X128: state.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: state.feeGrowthGlobal1X128,
    lower,
    upper,
  })
  return { amount0Raw: fees.fees0Raw, amount1Raw: fees.fees1Raw }
}

describe('uncollected fees computed by the library equal collect() to the wei', () => {
  it('in range after swaps both ways, crossing the range edges and coming back', async () => {
    const { plan, minted } = await mintAroundSpot(6, 9)
    const start = (await readPoolState(f.chain.provider, f.pool.pool)).tick
    for (const target of [start + 40, start - 30, plan.tickUpper + 20, start + 10, plan.tickLower - 20, start - 5]) {
      await f.moveTickTo(target)
    }
    // tokensOwed in positions() stays 0 until a poke: the library must not rely on it.
    const nft = await readNftPosition(f.chain.provider, {
      positionManager: f.chain.uniswap.positionManager,
      tokenId: minted.tokenId,
    })
    expect([nft.tokensOwed0, nft.tokensOwed1]).toEqual([0n, 0n])

    const predicted = await readUncollectedFees(f.chain.provider, {
      pool: f.pool.pool,
      positionManager: f.chain.uniswap.positionManager,
      tokenId: minted.tokenId,
    })
    expect(predicted.amount0Raw).toBeGreaterThan(0n)
    expect(predicted.amount1Raw).toBeGreaterThan(0n)
    expect(await feesFromPoolRecord(plan.tickLower, plan.tickUpper)).toEqual(predicted)

    const collected = await executeCollect(f.context(), { pool: f.pool.pool, tokenId: minted.tokenId })
    expect({ amount0Raw: collected.amount0Raw, amount1Raw: collected.amount1Raw }).toEqual(predicted)
  })

  it('with the price left outside the range (fee growth inside from the ticks outside values)', async () => {
    const { plan, minted } = await mintAroundSpot(3, 3)
    const start = (await readPoolState(f.chain.provider, f.pool.pool)).tick
    for (const target of [start + 25, start - 25, plan.tickUpper + 50]) await f.moveTickTo(target)
    expect((await readPoolState(f.chain.provider, f.pool.pool)).tick).toBeGreaterThanOrEqual(plan.tickUpper)
    const predicted = await readUncollectedFees(f.chain.provider, {
      pool: f.pool.pool,
      positionManager: f.chain.uniswap.positionManager,
      tokenId: minted.tokenId,
    })
    expect(predicted.amount0Raw + predicted.amount1Raw).toBeGreaterThan(0n)
    const collected = await executeCollect(f.context(), { pool: f.pool.pool, tokenId: minted.tokenId })
    expect({ amount0Raw: collected.amount0Raw, amount1Raw: collected.amount1Raw }).toEqual(predicted)
    // A second collect right after pays nothing, and the library agrees.
    expect(
      await readUncollectedFees(f.chain.provider, {
        pool: f.pool.pool,
        positionManager: f.chain.uniswap.positionManager,
        tokenId: minted.tokenId,
      }),
    ).toEqual({ amount0Raw: 0n, amount1Raw: 0n })
  })

  it('property (fixed seed): random ranges and random price paths, library fees = collect() to the wei', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: -90, max: 90 }), { minLength: 1, maxLength: 5 }),
        async (spacingsBelow, spacingsAbove, path) => {
          await f.reset()
          const { minted } = await mintAroundSpot(spacingsBelow, spacingsAbove)
          const start = (await readPoolState(f.chain.provider, f.pool.pool)).tick
          for (const offset of path) await f.moveTickTo(start + offset)
          const predicted = await readUncollectedFees(f.chain.provider, {
            pool: f.pool.pool,
            positionManager: f.chain.uniswap.positionManager,
            tokenId: minted.tokenId,
          })
          const collected = await executeCollect(f.context(), { pool: f.pool.pool, tokenId: minted.tokenId })
          expect({ amount0Raw: collected.amount0Raw, amount1Raw: collected.amount1Raw }).toEqual(predicted)
        },
      ),
      { numRuns: 8, seed: 20240105 },
    )
  })
})
