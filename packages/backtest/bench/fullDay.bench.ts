import { bench, describe } from 'vitest'
import { loadRunConfig } from '../src/config/loadRunConfig.js'
import { readKlines } from '../src/data/readKlines.js'
import { readPoolLogEvents } from '../src/data/readPoolLogEvents.js'
import type { KlineEvent, PoolLogEvent } from '../src/data/types.js'
import { mergeSources } from '../src/engine/mergeSources.js'
import { runBacktest } from '../src/strategy/runBacktest.js'

const CONFIG = new URL('../../../examples/two-venue-backtest/config.json', import.meta.url).pathname
const config = await loadRunConfig(CONFIG)
let peakRss = 0

/** The whole day (6,234 pool events + 1,440 klines): the full strategy vs only reading and merging the same files. */
describe('2024-01-05, 7,674 events', () => {
  bench(
    'full strategy (replay + planner + policy + hedger + fills)',
    async () => {
      await runBacktest({ config })
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    },
    {
      iterations: 5,
      time: 0,
      teardown: () => {
        console.info(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`)
      },
    },
  )

  bench(
    'read + merge only (the data floor)',
    async () => {
      for await (const _ of mergeSources<PoolLogEvent | KlineEvent>([
        readPoolLogEvents(config.data.poolEvents),
        readKlines(config.data.klines),
      ])) {
        // drain
      }
    },
    { iterations: 5, time: 0 },
  )
})
