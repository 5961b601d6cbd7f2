import { describe, expect, it } from 'vitest'
import { poolBarsFromEvents } from '../src/data/poolBarsFromEvents.js'
import { readPoolBars } from '../src/data/readPoolBars.js'
import { readPoolLogEvents } from '../src/data/readPoolLogEvents.js'
import type { PoolBarEvent, PoolLogEvent } from '../src/data/types.js'
import { estimateBarFees } from '../src/replay/estimateBarFees.js'
import { PoolReplay } from '../src/replay/poolReplay.js'
import { MAINNET_DAY, MAINNET_DAY_2 } from './src/dataPaths.js'

const MAX_UINT128 = (1n << 128n) - 1n
/** Half-widths in ticks (±0.1 %, ±0.5 %, ±1 %, ±2 %, ±5 % of price), around the day's opening tick. */
const HALF_WIDTHS = [10, 50, 100, 200, 500]
/** Small against the pool's ~1e19 active liquidity: the probes do not move the recorded price path. */
const PROBE_LIQUIDITY = 10n ** 14n

async function readEvents(path: string): Promise<PoolLogEvent[]> {
  const events: PoolLogEvent[] = []
  for await (const e of readPoolLogEvents(path)) events.push(e)
  return events
}

type Row = { day: string; halfWidth: number; exact: [bigint, bigint]; bar: [bigint, bigint]; error: [number, number] }

/**
 * Bar mode against the exact event replay: one passive probe position per width, minted at the start of the day into
 * the replay (fees from the pool's fee growth: burn + collect at the end) and estimated from the day's minute bars.
 */
function measure(day: string, events: PoolLogEvent[], bars: PoolBarEvent[], initialSqrtPriceX96: bigint): Row[] {
  const replay = new PoolReplay({
    feePips: 500,
    tickSpacing: 10,
    initialSqrtPriceX96,
    initialLiquidity: events[0]!.totalLiquidity,
  })
  const center = Math.round(replay.pool.slot0.tick / 10) * 10
  const ranges = HALF_WIDTHS.map((w) => [center - w, center + w] as const)
  for (const [i, [lower, upper]] of ranges.entries()) replay.pool.mint(`probe${i}`, lower, upper, PROBE_LIQUIDITY)
  for (const event of events) replay.apply(event)
  return ranges.map(([lower, upper], i) => {
    const pool = replay.pool
    const burned = pool.burn(`probe${i}`, lower, upper, PROBE_LIQUIDITY)
    const collected = pool.collect(`probe${i}`, lower, upper, MAX_UINT128, MAX_UINT128)
    const exact: [bigint, bigint] = [collected.amount0 - burned.amount0, collected.amount1 - burned.amount1]
    const estimate = estimateBarFees({
      bars,
      tickLower: lower,
      tickUpper: upper,
      liquidity: PROBE_LIQUIDITY,
      feePips: 500,
      startTick: events[0]!.kind === 'swap' ? undefined : replay.pool.slot0.tick,
    })
    const bar: [bigint, bigint] = [estimate.fees0, estimate.fees1]
    const error: [number, number] = [
      Number(bar[0] - exact[0]) / Number(exact[0]),
      Number(bar[1] - exact[1]) / Number(exact[1]),
    ]
    return { day, halfWidth: HALF_WIDTHS[i]!, exact, bar, error }
  })
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} %`
}

describe('bar mode against the exact replay, both mainnet days, several widths (docs/backtest.md#bar-mode)', async () => {
  const janEvents = await readEvents(MAINNET_DAY.tickCsv)
  const janBars: PoolBarEvent[] = []
  for await (const b of readPoolBars(MAINNET_DAY.minuteCsv)) janBars.push(b)
  const novEvents = await readEvents(MAINNET_DAY_2.tickCsv)

  it('bars built from the events equal the minute file on 2024-01-05 (every minute with a swap)', () => {
    const built = poolBarsFromEvents(janEvents)
    const withVolume = janBars.filter((b) => b.inAmount0 !== 0n || b.inAmount1 !== 0n)
    const strip = ({ file: _f, row: _r, ...rest }: PoolBarEvent) => rest
    expect(built.map(strip)).toEqual(withVolume.map(strip))
  })

  it('prints the error table; the bar estimate is within 6 % of the exact fee for every width on both days', () => {
    const rows = [
      ...measure('2024-01-05', janEvents, janBars, MAINNET_DAY.openingSqrtPriceX96),
      // No rel-price file for 2023-11-10: the replay starts at the first swap's recorded price.
      ...measure('2023-11-10', novEvents, poolBarsFromEvents(novEvents), novEvents[0]!.sqrtPriceX96),
    ]
    const lines = rows.map(
      (r) =>
        `| ${r.day} | ±${r.halfWidth} ticks (±${(r.halfWidth / 100).toFixed(1)} %) | ${r.exact[0]} / ${r.exact[1]} | ${r.bar[0]} / ${r.bar[1]} | ${pct(r.error[0])} | ${pct(r.error[1])} |`,
    )
    console.log(
      `| day | range | exact fees (USDC units / wei) | bar fees | USDC error | ETH error |\n|---|---|---:|---:|---:|---:|\n${lines.join('\n')}`,
    )
    for (const r of rows) {
      expect(r.exact[0]).toBeGreaterThan(0n)
      expect(r.exact[1]).toBeGreaterThan(0n)
      expect(Math.abs(r.error[0])).toBeLessThan(0.06)
      expect(Math.abs(r.error[1])).toBeLessThan(0.06)
    }
  })
})
