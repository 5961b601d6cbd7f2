import { describe, expect, it } from 'vitest'
import { readPoolBars } from '../src/data/readPoolBars.js'
import { readPoolLogEvents } from '../src/data/readPoolLogEvents.js'
import type { PoolBarEvent } from '../src/data/types.js'
import { estimateBarFees } from '../src/replay/estimateBarFees.js'
import { PoolReplay } from '../src/replay/poolReplay.js'
import { MAINNET_DAY, POLYGON_DAYS } from './src/dataPaths.js'

const MAX_UINT128 = (1n << 128n) - 1n

/**
 * Bar mode vs exact mode on the same day (2024-01-05, USDC/WETH 0.05 %): a passive position held all day, its fees from
 * the exact replay (pool fee growth, collect) and from the minute bars. The errors seen here are quoted in
 * docs/backtest.md#bar-mode.
 */
describe('bar mode error against the exact replay', async () => {
  const bars: PoolBarEvent[] = []
  for await (const bar of readPoolBars(MAINNET_DAY.minuteCsv)) bars.push(bar)

  async function exactFees(tickLower: number, tickUpper: number, liquidity: bigint) {
    let replay: PoolReplay | undefined
    for await (const event of readPoolLogEvents(MAINNET_DAY.tickCsv)) {
      if (replay === undefined) {
        replay = new PoolReplay({
          feePips: 500,
          tickSpacing: 10,
          initialSqrtPriceX96: MAINNET_DAY.openingSqrtPriceX96,
          initialLiquidity: event.totalLiquidity,
        })
        replay.pool.mint('probe', tickLower, tickUpper, liquidity)
      }
      replay.apply(event)
    }
    const pool = replay!.pool
    const burned = pool.burn('probe', tickLower, tickUpper, liquidity)
    const collected = pool.collect('probe', tickLower, tickUpper, MAX_UINT128, MAX_UINT128)
    return { fees0: collected.amount0 - burned.amount0, fees1: collected.amount1 - burned.amount1 }
  }

  it.each([
    ['wide ±1 %', 198_940, 199_140],
    ['narrow 0.4 %', 199_000, 199_040],
  ])('%s range [%i, %i): bar-mode fees within 10 percent of exact', async (_label, tickLower, tickUpper) => {
    const liquidity = 10n ** 16n // small against the pool's ~1e19: the price path is the recorded one
    const exact = await exactFees(tickLower, tickUpper, liquidity)
    const bar = estimateBarFees({ bars, tickLower, tickUpper, liquidity, feePips: 500 })
    const error0 = Number(bar.fees0 - exact.fees0) / Number(exact.fees0)
    const error1 = Number(bar.fees1 - exact.fees1) / Number(exact.fees1)
    // The errors for several widths on both mainnet days: test/barModeError.test.ts (docs/backtest.md, Bar mode).
    expect(exact.fees0).toBeGreaterThan(0n)
    expect(exact.fees1).toBeGreaterThan(0n)
    expect(Math.abs(error0)).toBeLessThan(0.1)
    expect(Math.abs(error1)).toBeLessThan(0.1)
  })

  it('reads the Polygon minute days (bar mode input), with the documented gap on 08-14', async () => {
    let rows = 0
    for await (const _ of readPoolBars(POLYGON_DAYS.minuteCsv('14'))) rows++
    expect(rows).toBe(1439)
  })
})
