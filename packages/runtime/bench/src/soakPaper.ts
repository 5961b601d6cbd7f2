/**
 * The soak's paper process (bench/soak.bench.ts bundles it, @alp/* packages external, and spawns it with an IPC
 * channel, cwd the package so `runPaper` finds data/ and examples/ above it): `runPaper` of src/paper — anvil replaying
 * 2024-01-05's pool, the Binance emulator replaying its klines on one replay clock, and every role of the example
 * paper deployment against them, all in this process but anvil — on the window 00:00 → ALP_SOAK_MINUTES ×
 * ALP_SOAK_SPEED replay minutes. Sends `sample` (RSS and heap every ALP_SOAK_SAMPLE_MS) while the replay runs, then
 * `done` with the event loop's delay (perf_hooks monitorEventLoopDelay) over the replay, counts and the journal check.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { writeHeapSnapshot } from 'node:v8'
import { Journal } from '../../src/journal/Journal.js'
import { type PaperProgress, runPaper } from '../../src/paper/runPaper.js'

const send = (message: unknown): void => {
  process.send?.(message)
}
const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)
process.on('uncaughtException', (error) => send({ type: 'fatal', message: describe(error) }))
process.on('unhandledRejection', (error) => send({ type: 'fatal', message: describe(error) }))
let finished = false
process.on('disconnect', () => {
  if (!finished) process.exit(1)
})

const outDir = process.env.ALP_SOAK_DIR as string
const minutes = Number(process.env.ALP_SOAK_MINUTES ?? 10)
const speed = Number(process.env.ALP_SOAK_SPEED ?? 144)
const sampleMs = Number(process.env.ALP_SOAK_SAMPLE_MS ?? 2_000)
const windowMinutes = Math.min(24 * 60, Math.round(minutes * speed))
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const DAY_MS = Date.UTC(2024, 0, 5)
const toMs = DAY_MS + windowMinutes * 60_000

const LAG_RESOLUTION_MS = 10
const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS })
const GC_EVERY = Number(process.env.ALP_SOAK_GC_EVERY ?? 15)
const gc = (globalThis as { gc?: () => void }).gc
let samples = 0
let t0: number | null = null
let replaying = true
let last: PaperProgress | null = null
const sample = (): void => {
  if (t0 === null || !replaying) return
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
const sampler = setInterval(sample, sampleMs)
// Diagnosis (not part of `pnpm bench`): ALP_SOAK_HEAP_SNAPSHOTS=<dir> writes a heap snapshot after the warm-up (the
// first minute, or the first quarter of a shorter run) and one at the window's end (each blocks the loop for seconds),
// for bench/src/heapDiff.ts.
const snapshotDir = process.env.ALP_SOAK_HEAP_SNAPSHOTS
const warmUpMs = Math.min(60_000, (minutes * 60_000) / 4)
let firstSnapshot: ReturnType<typeof setTimeout> | undefined
let elu0: ReturnType<typeof performance.eventLoopUtilization> | null = null
let elu: ReturnType<typeof performance.eventLoopUtilization> | null = null

const result = await runPaper({
  day: '2024-01-05',
  from: '00:00',
  to: hhmm(windowMinutes),
  speed,
  outDir,
  onProgress: (progress) => {
    last = progress
    // Measured from the first progress (the deployment is up and the replay clock runs) to the window's end.
    if (t0 === null) {
      t0 = performance.now()
      lag.enable()
      elu0 = performance.eventLoopUtilization()
      sample()
      if (snapshotDir !== undefined)
        firstSnapshot = setTimeout(() => writeHeapSnapshot(join(snapshotDir, 'first.heapsnapshot')), warmUpMs)
    } else if (replaying && progress.replayMs >= toMs) {
      sample()
      replaying = false
      lag.disable()
      elu = performance.eventLoopUtilization(elu0 ?? undefined)
      clearTimeout(firstSnapshot)
      if (snapshotDir !== undefined) writeHeapSnapshot(join(snapshotDir, 'last.heapsnapshot'))
    }
  },
})
clearInterval(sampler)
if (replaying) {
  replaying = false
  lag.disable()
  elu = performance.eventLoopUtilization(elu0 ?? undefined)
}
const journalDir = join(outDir, 'journal')
const journalFile = existsSync(journalDir)
  ? readdirSync(journalDir).find((name) => name.endsWith('.sqlite'))
  : undefined
let journalCheck: { journalMb: number; steps: number; replayMismatches: number } | string = 'no journal found'
if (journalFile !== undefined) {
  const journal = new Journal(join(journalDir, journalFile))
  const runId = journal.runs().at(-1)?.runId ?? ''
  journalCheck = {
    journalMb: statSync(join(journalDir, journalFile)).size / 2 ** 20,
    steps: journal.steps(runId).length,
    replayMismatches: journal.replay(runId).mismatches.length,
  }
  journal.close()
}
const ms = (ns: number) => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS)
const progress = last as PaperProgress | null
send({
  type: 'done',
  lagMs: { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max), mean: ms(lag.mean) },
  eventLoopUtilization: elu?.utilization ?? Number.NaN,
  counts: {
    swapsReplayed: progress?.swapsReplayed ?? 0,
    blocksReplayed: progress?.blocksReplayed ?? 0,
    rebalances: progress?.rebalances ?? 0,
    fills: progress?.fills ?? 0,
    ...(typeof journalCheck === 'string'
      ? {}
      : { steps: journalCheck.steps, replayMismatches: journalCheck.replayMismatches }),
  },
  journalMb: typeof journalCheck === 'string' ? Number.NaN : journalCheck.journalMb,
  status: `window ${hhmm(0)}–${hhmm(windowMinutes)} replayed to ${progress === null ? '—' : hhmm(Math.floor((progress.replayMs - DAY_MS) / 60_000))}; net exposure ${progress?.netExposureBase?.toFixed(3) ?? '—'} base; parity: ${result.parity.rows.length} rows, ${result.parity.differences.length} differ${typeof journalCheck === 'string' ? `; ${journalCheck}` : ''}`,
  stop: 'runPaper stopped the deployment',
  errors: result.errors.length === 0 ? {} : { 'paper role errors': result.errors.length },
  errorSamples: [...new Set(result.errors.map((e) => e.split('\n')[0] ?? ''))].slice(0, 3),
})
finished = true
process.disconnect?.()
setTimeout(() => process.exit(0), 100).unref()
