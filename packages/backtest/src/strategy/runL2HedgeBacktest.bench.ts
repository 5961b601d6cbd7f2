import { fileURLToPath } from 'node:url'
import { bench, describe } from 'vitest'
import { type L2CaptureEvent, readBinanceL2Capture } from '../data/readBinanceL2Capture.js'
import { makerTakerFee } from '../fills/makerTakerFee.js'
import { powerProbQueue } from '../fills/powerProbQueue.js'
import type { QueueModel } from '../fills/queueTypes.js'
import { riskAverseQueue } from '../fills/riskAverseQueue.js'
import { simulateQueueFill } from '../fills/simulateQueueFill.js'
import { constantLatency } from '../latency/constantLatency.js'
import { runL2HedgeBacktest } from './runL2HedgeBacktest.js'

/**
 * The whole real capture (33,618 events, 345 s of Binance spot ETHUSDT) from memory, so the gunzip + JSON parse of the
 * reader is not timed: the hedger core + simulated venue with each queue model, against the single-order
 * `simulateQueueFill` of one order that never fills over the same events (level tracking alone, no hedger) as the
 * peer. vitest prints
 * "N x faster than" for each pair; events/s = 33,618 × hz.
 */
const grid = { tickSize: '0.01', stepSize: '0.0001' }
const path = fileURLToPath(
  new URL('../../../../data/binance-ethusdt-l2-2024-08-08/spot_ethusdt_20240808.gz', import.meta.url),
)
const events: L2CaptureEvent[] = []
for await (const e of readBinanceL2Capture({ path, ...grid })) events.push(e)
const snapshot = events.find((e) => e.kind === 'snapshot') as Extract<L2CaptureEvent, { kind: 'snapshot' }>

async function* replay(): AsyncGenerator<L2CaptureEvent> {
  for (const e of events) yield e
}

const run = (queue: QueueModel) =>
  runL2HedgeBacktest({
    capture: { file: 'spot_ethusdt_20240808.gz', events: replay() },
    hedger: {
      venues: [{ venue: 'binance', ...grid, makerFeeBps: -0.5, minNotionalQuote: 20 }],
      calibration: {
        volatility: { halfLifeMs: 10_000, warmUpMs: 5_000, minIncrements: 5 },
        intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 20 },
      },
      model: { eta: 3 },
      hedge: { orderSizeBase: 0.1 },
    },
    venue: 'binance',
    queue,
    latency: constantLatency({ entryNs: 5_000_000n, responseNs: 5_000_000n }),
    fee: makerTakerFee({ ...grid, makerFeeBps: '-0.5', takerFeeBps: '4.5' }),
    lpInventory: { baseHeldBase: '1.5', baseTargetBase: '1.0' },
    timerIntervalNs: 1_000_000_000n,
  })

describe(`L2 hedge backtest over ${events.length} capture events (in memory)`, () => {
  bench('runL2HedgeBacktest, riskAverseQueue', async () => {
    await run(riskAverseQueue())
  })
  bench('runL2HedgeBacktest, powerProbQueue n = 2', async () => {
    await run(powerProbQueue({ exponent: 2 }))
  })
  bench('simulateQueueFill, one order, no hedger (peer)', async () => {
    await simulateQueueFill({
      events: replay(),
      order: {
        side: 'buy',
        // Far below the book: it never fills, so every event is processed (as in the hedger runs).
        priceTicks: Math.min(...snapshot.bids.map(([p]) => p)) - 10_000,
        sizeLots: 1_000,
        submitLocalNs: snapshot.tsLocalNs,
      },
      queue: riskAverseQueue(),
      entryNs: 5_000_000n,
    })
  })
})
