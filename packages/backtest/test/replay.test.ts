import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readPoolLogEvents } from '../src/data/readPoolLogEvents.js'
import type { PoolLogEvent } from '../src/data/types.js'
import { PoolReplay } from '../src/replay/poolReplay.js'
import { MAINNET_DAY } from './src/dataPaths.js'

/** Sums of inAmount0/inAmount1 in the minute file, read with a plain split (independent of the code under test). */
function minuteTotals(): { in0: bigint; in1: bigint } {
  const [header, ...lines] = readFileSync(MAINNET_DAY.minuteCsv, 'utf8').trim().split('\n')
  const cols = header!.split(',')
  const i0 = cols.indexOf('inAmount0')
  const i1 = cols.indexOf('inAmount1')
  let in0 = 0n
  let in1 = 0n
  for (const line of lines) {
    const f = line.split(',')
    in0 += BigInt(f[i0]!)
    in1 += BigInt(f[i1]!)
  }
  return { in0, in1 }
}

describe('historical replay of the USDC/WETH 0.05 % pool, 2024-01-05', async () => {
  const events: PoolLogEvent[] = []
  for await (const e of readPoolLogEvents(MAINNET_DAY.tickCsv)) events.push(e)
  const replay = new PoolReplay({
    feePips: 500,
    tickSpacing: 10,
    initialSqrtPriceX96: MAINNET_DAY.openingSqrtPriceX96,
    initialLiquidity: events[0]!.totalLiquidity,
  })
  const priceMismatches: number[] = []
  const liquidityMismatches: number[] = []
  const staleRows: number[] = []
  for (const event of events) {
    replay.apply(event)
    if (event.kind === 'swap' && replay.pool.slot0.sqrtPriceX96 !== event.sqrtPriceX96) priceMismatches.push(event.row)
    if (event.kind === 'swap' && replay.pool.slot0.tick !== event.tick) priceMismatches.push(event.row)
    // COLLECT rows carry a stale total_liquidity in this export (e.g. row 187 repeats the value before the burn of row
    // 186), so the check covers swaps, mints and burns.
    // Mint/burn rows whose total was never updated for the event are corrected (replayStaleTotals.test.ts): compare
    // with the corrected record, and list those rows apart.
    if (event.kind !== 'collect' && replay.pool.liquidity !== replay.recordedLiquidity)
      liquidityMismatches.push(event.row)
    if (event.kind !== 'collect' && replay.recordedLiquidity !== event.totalLiquidity) staleRows.push(event.row)
  }

  it('reads every event of the day (PROVENANCE.md: 6234 = 6046 swaps, 54 mints, 69 burns, 65 collects)', () => {
    expect(events.length).toBe(6234)
    expect(replay.stats).toMatchObject({ swaps: 6046, mints: 54, burns: 69, collects: 65 })
  })

  it('lands on the recorded sqrtPriceX96 and tick after every replayed swap', () => {
    expect(priceMismatches).toEqual([])
  })

  it('has the recorded active liquidity after every swap, mint and burn (8 stale mint/burn totals corrected)', () => {
    expect(liquidityMismatches).toEqual([])
    expect(staleRows).toEqual([313, 315, 1654, 1656, 1754, 1756, 4246, 4248])
  })

  it('replays token-in volume equal to the minute files totals (124,709,319 USDC + 54,532.86 ETH)', () => {
    const totals = minuteTotals()
    expect(replay.stats.recordedIn0).toBe(totals.in0)
    expect(replay.stats.recordedIn1).toBe(totals.in1)
    expect(totals.in0 / 1_000_000n).toBe(124_709_318n)
  })

  it('reproduces ≥ 95 % of swap amounts to the wei with the inferred tick map (the rest: docs/backtest.md#replay)', () => {
    // Regression floor for the inference, not an exactness claim: the day's initial tick map is unknown.
    expect(replay.stats.swapsExact / replay.stats.swaps).toBeGreaterThan(0.95)
  })
})
