import { bench, describe } from 'vitest'
import { loadRunConfig } from '../src/config/loadRunConfig.js'
import { readKlineBatches } from '../src/data/readKlines.js'
import { readPoolLogEventBatches } from '../src/data/readPoolLogEvents.js'
import type { KlineEvent, PoolLogEvent } from '../src/data/types.js'
import { mergeSourceBatches } from '../src/engine/mergeSourceBatches.js'
import { runBacktest } from '../src/strategy/runBacktest.js'

const CONFIG = new URL('../../../examples/two-venue-backtest/config.json', import.meta.url).pathname
const config = await loadRunConfig(CONFIG)
let peakRss = 0
const EVENTS = 7_674
const fullDayMs: number[] = []
let firstRunMs: number | undefined
let phase = 0

/** The whole day (6,234 pool events + 1,440 klines): the full strategy vs only reading and merging the same files. */
describe('2024-01-05, 7,674 events', () => {
  bench(
    'full strategy (replay + planner + policy + hedger + fills)',
    async () => {
      const t0 = performance.now()
      await runBacktest({ config })
      const ms = performance.now() - t0
      // the first run of the process is cold (module compile, JIT); reported apart, as a one-shot CLI run sees it
      if (firstRunMs === undefined) firstRunMs = ms
      else fullDayMs.push(ms)
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    },
    {
      // a notebook or a sweep runs many days in one process: measure steady-state runs (V8 needs ~20 runs of the day to
      // finish tiering up; runs 2–20 drift from ~250 ms down to ~50 ms on this 2-core VM), report the cold one too
      warmupIterations: 20,
      iterations: 20,
      time: 0,
      setup: () => {
        fullDayMs.length = 0
        phase++
      },
      teardown: () => {
        if (phase < 2) return // tinybench runs setup/teardown around the warm-up phase too
        const sorted = [...fullDayMs].sort((a, b) => a - b)
        const median = sorted[sorted.length >> 1] ?? Number.NaN
        const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length
        console.info(
          `full day: ${EVENTS} events, warm median ${median.toFixed(1)} ms = ${Math.round((EVENTS / median) * 1000).toLocaleString('en-US')} events/s ` +
            `(mean ${mean.toFixed(1)} ms = ${Math.round((EVENTS / mean) * 1000).toLocaleString('en-US')} events/s; ` +
            `cold first run ${firstRunMs?.toFixed(1)} ms); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
        )
      },
    },
  )

  bench(
    'read + merge only (the data floor)',
    async () => {
      for await (const _ of mergeSourceBatches<PoolLogEvent | KlineEvent>([
        readPoolLogEventBatches(config.data.poolEvents),
        readKlineBatches(config.data.klines),
      ])) {
        // drain
      }
    },
    { warmupIterations: 3, iterations: 20, time: 0 },
  )
})
