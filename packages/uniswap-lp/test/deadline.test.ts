import { setNextBlockTimestamp } from '@alp/venue-sim/chain'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { executeMint } from '../src/chain/executeMint.js'
import { planMint } from '../src/chain/planMint.js'
import { readDeadline } from '../src/chain/readDeadline.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { StaleChainTipError } from '../src/errors/rebalance.js'
import { nearestUsableTick } from '../src/math/tickSpacing.js'
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

describe('a deadline read from a stale chain tip', () => {
  it('is refused as "Transaction too old" (StaleChainTipError with the block age and the window), nothing sent', async () => {
    const owner = await f.lp.getAddress()
    const state = await readPoolState(f.chain.provider, f.pool.pool)
    const center = nearestUsableTick(state.tick, f.pool.tickSpacing)
    const plan = planMint({
      pool: f.pool,
      sqrtPriceX96: state.sqrtPriceX96,
      tickCurrent: state.tick,
      tickLower: center - 4 * f.pool.tickSpacing,
      tickUpper: center + 4 * f.pool.tickSpacing,
      amount0DesiredRaw: f.pool.token0 === f.usdc ? 4_000n * 10n ** 6n : 2n * 10n ** 18n,
      amount1DesiredRaw: f.pool.token1 === f.usdc ? 4_000n * 10n ** 6n : 2n * 10n ** 18n,
      slippageBps: f.guards.slippageBps,
    })
    // The endpoint still serves the tip; the world (and the node's next block) is 700 s later, past the 600 s window.
    const tip = (await f.chain.provider.getBlock('latest'))!
    const now = tip.timestamp + f.guards.deadlineSec + 100
    await setNextBlockTimestamp(f.chain, now)
    const nonceBefore = await f.nonceOf(owner)
    const error = await executeMint({ ...f.context(), nowMs: () => now * 1000 }, plan).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StaleChainTipError)
    const stale = error as StaleChainTipError
    expect(stale.code).toBe('STALE_CHAIN_TIP')
    expect(stale.blockAgeSec).toBe(f.guards.deadlineSec + 100)
    expect(stale.deadlineSec).toBe(600)
    expect(stale.blockNumber).toBe(tip.number)
    expect(stale.shortMessage).toMatch(/^Transaction too old: the chain tip \(block \d+\) is 700 s old/)
    expect(await f.nonceOf(owner)).toBe(nonceBefore)
  })

  it('a fresh tip gives tip + window; a tip exactly at the window edge is still accepted; null skips the check', async () => {
    const tip = (await f.chain.provider.getBlock('latest'))!
    expect(await readDeadline(f.chain.provider, 600, { nowMs: () => (tip.timestamp + 10) * 1000 })).toBe(
      BigInt(tip.timestamp + 600),
    )
    expect(await readDeadline(f.chain.provider, 600, { nowMs: () => (tip.timestamp + 600) * 1000 })).toBe(
      BigInt(tip.timestamp + 600),
    )
    await expect(
      readDeadline(f.chain.provider, 600, { nowMs: () => (tip.timestamp + 601) * 1000 }),
    ).rejects.toBeInstanceOf(StaleChainTipError)
    expect(await readDeadline(f.chain.provider, 600, { nowMs: null })).toBe(BigInt(tip.timestamp + 600))
  })
})
