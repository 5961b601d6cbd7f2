/**
 * The soak's deployment process (bench/soak.bench.ts bundles it and spawns it with an IPC channel): every role in this
 * one process on the in-process bus, from an INI file, against the Binance emulator (another process, replaying the
 * 2024-01-05 klines on a replay clock) — binance quote-server, trading-engine, position-server, the trader with its
 * SQLite journal and metrics, and the lp-manager role fed by an inventory stream: a constant-product LP of 1 WETH and
 * its USDC at the first mid, revalued at the replayed mid every second, so the hedge target moves with the day.
 * Sends `sample` (RSS and heap every ALP_SOAK_SAMPLE_MS) while it runs ALP_SOAK_RUN_MS, then `done` with the event
 * loop's delay (perf_hooks monitorEventLoopDelay), counts and the stop report.
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { writeHeapSnapshot } from 'node:v8'
import { InventoryEventStream } from '@alp/uniswap-lp'
import { loadConfigFiles } from '../../src/config/loadConfig.js'
import { createDeployment } from '../../src/deployment/createDeployment.js'
import { Journal } from '../../src/journal/Journal.js'
import { createMetrics } from '../../src/observability/metrics.js'
import { writeSoakIni } from './soakConfig.js'

const send = (message: unknown): void => {
  process.send?.(message)
}
const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)
process.on('uncaughtException', (error) => send({ type: 'fatal', message: describe(error) }))
process.on('unhandledRejection', (error) => send({ type: 'fatal', message: describe(error) }))
// The bench went away before the end (failed or killed): so does the deployment.
let finished = false
process.on('disconnect', () => {
  if (!finished) process.exit(1)
})

const dir = process.env.ALP_SOAK_DIR as string
const runMs = Number(process.env.ALP_SOAK_RUN_MS ?? 60_000)
const sampleMs = Number(process.env.ALP_SOAK_SAMPLE_MS ?? 2_000)
const file = writeSoakIni(dir, {
  restUrl: process.env.ALP_SOAK_REST_URL as string,
  wsUrl: process.env.ALP_SOAK_WS_URL as string,
})
const errorsByKind = new Map<string, number>()
const errorSamples: string[] = []
const lp = new InventoryEventStream({
  source: 'uniswap-v3:31337:0xsoak',
  decimals0: 18,
  decimals1: 6,
  baseToken: 'token0',
  targetBaseShare: 0.5,
})
// The INI's env references (SOAK_BN_KEY, SOAK_BN_SECRET, SOAK_LP_KEY) resolve from this process's environment, set by
// the bench with this run's generated credentials (bench/src/soakConfig.ts).
const deployment = createDeployment(loadConfigFiles([file], { env: process.env }), {
  lpManager: () => lp,
  metrics: createMetrics(),
  timerIntervalMs: 250,
  onError: (error, context) => {
    const kind = `${context.role}: ${error instanceof Error ? error.name : 'error'}`
    errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1)
    // the first of each kind, its first line
    if (errorsByKind.get(kind) === 1) errorSamples.push(`${context.role}: ${describe(error).split('\n')[0]}`)
  },
})
await deployment.start()

// The LP: x·y = L² with x = 1 WETH at the first mid; revalued every second at the replayed mid.
let midTicks: number | null = null
let bbos = 0
let inventories = 0
const marketData = await deployment.bus.subscriber('marketData')
marketData.on('message', (message) => {
  if (message.type !== 'bbo') return
  bbos++
  midTicks = (message.bidPriceTicks + message.askPriceTicks) / 2
})
let liquidity: number | null = null
const revalue = setInterval(() => {
  if (midTicks === null) return
  const price = midTicks / 100
  liquidity ??= Math.sqrt(price)
  const weth = liquidity / Math.sqrt(price)
  const usdc = liquidity * Math.sqrt(price)
  lp.publish({
    tsMs: Date.now(),
    amount0Raw: BigInt(Math.round(weth * 1e9)) * 10n ** 9n,
    amount1Raw: BigInt(Math.round(usdc * 1e6)),
    sqrtPriceX96: BigInt(Math.round(Math.sqrt(price * 1e-12) * 2 ** 96)),
    prices: { token0: price.toFixed(2), token1: '1' },
  })
  inventories++
}, 1_000)

// Measured from here: the deployment is up.
const LAG_RESOLUTION_MS = 10
const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS })
lag.enable()
const elu0 = performance.eventLoopUtilization()
const t0 = performance.now()
// Every GC_EVERY-th sample also reads the live heap after a full collection (node --expose-gc): the leak signal,
// free of the young generation's saw-tooth. Rarely, so its pauses stay out of the event-loop delay percentiles.
const GC_EVERY = Number(process.env.ALP_SOAK_GC_EVERY ?? 15)
const gc = (globalThis as { gc?: () => void }).gc
let samples = 0
const sample = (): void => {
  let liveHeap: number | undefined
  if (gc !== undefined && samples++ % GC_EVERY === 0) {
    gc()
    liveHeap = process.memoryUsage().heapUsed
  }
  const m = process.memoryUsage()
  send({
    type: 'sample',
    tMs: performance.now() - t0,
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    heapTotal: m.heapTotal,
    arrayBuffers: m.arrayBuffers,
    liveHeap,
  })
}
sample()
const sampler = setInterval(sample, sampleMs)
// Diagnosis (not part of `pnpm bench`): ALP_SOAK_HEAP_SNAPSHOTS=<dir> writes a heap snapshot after the warm-up and one
// at the end (each blocks the loop for seconds), for bench/src/heapDiff.ts.
const snapshotDir = process.env.ALP_SOAK_HEAP_SNAPSHOTS
if (snapshotDir !== undefined)
  setTimeout(() => writeHeapSnapshot(join(snapshotDir, 'first.heapsnapshot')), Math.min(60_000, runMs / 4))
await new Promise((resolve) => setTimeout(resolve, runMs))
clearInterval(sampler)
if (snapshotDir !== undefined) writeHeapSnapshot(join(snapshotDir, 'last.heapsnapshot'))
sample()
lag.disable()
const elu = performance.eventLoopUtilization(elu0)
clearInterval(revalue)
const trader = deployment.trader
const runId = trader?.runId ?? ''
const status = trader?.state.venues[0]?.status ?? 'no trader'
let stop: unknown
try {
  stop = await deployment.stop({ timeoutMs: 30_000 })
} catch (error) {
  stop = describe(error)
}
const journalPath = join(dir, 'data', 'journal.sqlite')
const journal = new Journal(journalPath)
const steps = journal.steps(runId).length
const orders = journal.orders({ runId }).length
const fills = journal.fills({ runId }).length
const replayMismatches = journal.replay(runId).mismatches.length
journal.close()
// The histogram holds the interval between the monitor's 10 ms timer runs: the delay is what exceeds 10 ms.
const ms = (ns: number) => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS)
send({
  type: 'done',
  lagMs: { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max), mean: ms(lag.mean) },
  eventLoopUtilization: elu.utilization,
  counts: { bbos, inventories, steps, orders, fills, replayMismatches },
  journalMb: statSync(journalPath).size / 2 ** 20,
  status,
  stop,
  errors: Object.fromEntries(errorsByKind),
  errorSamples,
})
finished = true
process.disconnect?.()
setTimeout(() => process.exit(0), 100).unref()
