import { describe, expect, it } from 'vitest'
import { loadRunConfig } from '../src/config/loadRunConfig.js'
import type { RunConfig } from '../src/config/runConfig.js'
import { createSimClock } from '../src/engine/simClock.js'
import { runBacktest } from '../src/strategy/runBacktest.js'

const CONFIG = new URL('../../../examples/two-venue-backtest/config.json', import.meta.url).pathname
const LOG_TICK = Math.log(1.0001)

/** The hedger's suggestRange half-width (bps) as the base's minimum half-width in ticks, worked independently here. */
const hintTicks = (bps: number) => Math.ceil(Math.log1p(bps / 10_000) / LOG_TICK - 1e-9)

describe('the LP ranges follow the hedger’s volatility-driven width (issue #14: suggestRange had no consumer)', () => {
  it('by default every rebalance after the hedger’s first estimate has a base at least ±hint wide around its centre', async () => {
    const config = await loadRunConfig(CONFIG)
    const on = await runBacktest({ config, clock: createSimClock(0n) })
    const hinted = on.rebalances.filter((r) => r.rangeHalfWidthBps !== null)
    expect(hinted.length).toBeGreaterThan(0)
    const spacing = config.pool.tickSpacing
    for (const r of hinted) {
      const half = hintTicks(r.rangeHalfWidthBps as number)
      // The base is snapped outwards to the spacing around its centre tick, so its width covers 2·half − one spacing.
      expect(r.base.tickUpper - r.base.tickLower).toBeGreaterThanOrEqual(2 * half - spacing)
    }

    const offConfig: RunConfig = { ...config, lp: { ...config.lp, rangeWidthFromVolatility: false } }
    const off = await runBacktest({ config: offConfig, clock: createSimClock(0n) })
    expect(off.rebalances.every((r) => r.rangeHalfWidthBps === null)).toBe(true)
    // Where the hint is wider than the model's width, the two runs plan different bases: the hint is used, not ignored.
    const widerThanModel = hinted.some((r) => {
      const twin = off.rebalances.find((o) => o.tsMs === r.tsMs)
      return twin !== undefined && r.base.tickUpper - r.base.tickLower > twin.base.tickUpper - twin.base.tickLower
    })
    expect(widerThanModel).toBe(true)
  }, 180_000)
})
