import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalChain, startLocalChain } from '../src/chain/index.js'
import { readPoolEvents, replayPoolDay } from '../src/chain/replay/index.js'

// A long slice of each recorded day by default (1,500 and 1,000 events, ~15-25 s each here); the whole day with
// ALP_REPLAY_FULL_DAY=1, which `pnpm --filter @alp/venue-sim replay:day` sets (about 2 minutes per day on 2 shared
// cores, so not part of the default run).
const FULL_DAY = process.env.ALP_REPLAY_FULL_DAY === '1'

const file = (day: string) =>
  fileURLToPath(
    new URL(
      `../../../data/uniswap-mainnet-${day}/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-${day}.tick.csv`,
      import.meta.url,
    ),
  )

describe.each([
  { day: '2024-01-05', slice: 1_500 },
  { day: '2023-11-10', slice: 1_000 },
])('replay of $day', ({ day, slice }) => {
  const all = readPoolEvents(file(day))
  const events = FULL_DAY ? all : all.slice(0, slice)
  let chain: LocalChain
  beforeAll(async () => {
    chain = await startLocalChain({ extraArgs: ['--timestamp', String(all[0]!.timestampSec - 3_600)] })
  })
  afterAll(async () => {
    await chain?.stop()
  })

  it(`sends every swap of ${FULL_DAY ? 'the whole day' : `the first ${slice} events`} and lands ≥ 99.5 % of them on the recorded price`, async () => {
    let lastTimestampOk = true
    const replay = replayPoolDay({
      chain,
      events,
      onEvent: (p) => {
        if (p.chainTimestampSec !== p.event.timestampSec) lastTimestampOk = false
      },
    })
    const report = await replay.done
    const swaps = events.filter((e) => e.kind === 'SWAP').length
    const zeroLiquidityBurns = events.filter((e) => e.kind === 'BURN' && e.liquidity === 0n).length
    console.log(
      `${day} ${events.length} events: ${report.swapsSent}/${report.swapsInRecord} swaps sent, ${report.swapsExactPrice} at the recorded sqrtPriceX96, ` +
        `amount0 diff max ${report.amount0Difference.max} median ${report.amount0Difference.median} (exact ${report.amount0Difference.exact}), ` +
        `amount1 diff max ${report.amount1Difference.max} median ${report.amount1Difference.median} (exact ${report.amount1Difference.exact}), ` +
        `max price rel diff ${report.maxPriceRelativeDifference}, ${report.mintsSent} mints, ${report.burnsSent} burns, ${report.blocks} blocks, ` +
        `${report.staleLiquidityRows.length} rows with a wrong total_liquidity, ${(report.durationMs / 1000).toFixed(1)} s`,
    )
    expect(report.swapsInRecord).toBe(swaps)
    expect(report.swapsSent).toBe(swaps)
    expect(report.swapsReverted).toBe(0)
    expect(report.swapsExactPrice / report.swapsSent).toBeGreaterThanOrEqual(0.995)
    expect(report.amount0Difference.median).toBe(0n)
    expect(report.amount1Difference.median).toBe(0n)
    expect(report.mintsSent).toBe(events.filter((e) => e.kind === 'MINT').length)
    expect(report.burnsSent).toBe(events.filter((e) => e.kind === 'BURN').length - zeroLiquidityBurns)
    expect(report.blocks).toBe(new Set(events.map((e) => e.blockNumber)).size)
    expect(lastTimestampOk).toBe(true)
  }, 900_000)
})
