import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, bench, describe } from 'vitest'
import { bundleScript } from './src/bundleScript.js'
import { SOAK_KEYS } from './src/soakConfig.js'
import { linearSlope } from './src/stats.js'

/*
 * Soak: the whole deployment in one process (bench/src/soakDeployment.ts: binance quote-server, trading-engine,
 * position-server, trader with journal and metrics, lp-manager fed by an inventory stream that revalues a
 * constant-product LP at the replayed mid) against the @alp/venue-sim Binance USDⓈ-M emulator in another process,
 * replaying the 2024-01-05 klines (data/binance-ethusdt-klines-2024-01-05) on a replay clock at ALP_SOAK_SPEED
 * (default 144: the whole day in 10 minutes), for ALP_SOAK_MINUTES of wall time (default 10; develop with 1).
 * The paper runner (`alp paper`) had not landed when this was written: when it does, it is the deployment to soak.
 * Reported: the deployment process's RSS slope (least squares over the samples after the warm-up: the first 60 s, or
 * the first quarter of a shorter run), heap slope, the live heap after a full GC every 30 s (node --expose-gc), peak RSS; event-loop delay p50/p99/max (perf_hooks
 * monitorEventLoopDelay, 10 ms resolution) and utilisation; the trader's steps, orders and fills, and a journal replay
 * check. PASS/FAIL (printed, never thrown) against the memory bound below.
 */
const MINUTES = Number(process.env.ALP_SOAK_MINUTES ?? 10)
const SPEED = Number(process.env.ALP_SOAK_SPEED ?? 144)
const RUN_MS = MINUTES * 60_000
const SAMPLE_MS = 2_000
const WARM_UP_MS = Math.min(60_000, RUN_MS / 4)
/** Memory bound: RSS may not grow faster than this after the warm-up… */
const MAX_RSS_SLOPE_MB_PER_HOUR = 50
/** …nor exceed this at any sample. */
const MAX_RSS_MB = 400

const here = dirname(fileURLToPath(import.meta.url))
const KLINES = join(
  here,
  '../../../data/binance-ethusdt-klines-2024-01-05/ETHUSDT-1m-2024-01-05.futures-um.reduced.csv',
)
const DAY_MS = Date.UTC(2024, 0, 5)

/** The emulator process: Binance USDⓈ-M, the soak's account, the klines market on a replay clock. */
const VENUE_SCRIPT = `
import { createReplayClock } from '@alp/venue-sim'
import { startBinanceEmulator } from '@alp/venue-sim/binance'
const clock = createReplayClock({ startMs: ${DAY_MS}, speed: ${SPEED} })
const emu = await startBinanceEmulator({
  port: 0,
  symbols: ['ETHUSDT'],
  accounts: [{ apiKey: ${JSON.stringify(SOAK_KEYS.apiKey)}, apiSecret: ${JSON.stringify(SOAK_KEYS.apiSecret)}, balances: { USDT: '100000' } }],
  market: { kind: 'klines', file: ${JSON.stringify(KLINES)} },
  clock,
  tickIntervalMs: 10,
  pingIntervalMs: 0,
})
console.log(JSON.stringify({ restUrl: emu.restUrl, wsUrl: emu.wsUrl }))
process.stdin.on('end', async () => {
  console.log(JSON.stringify({ replayMs: clock.nowMs() - ${DAY_MS} }))
  await emu.close()
  process.exit(0)
})
process.stdin.resume()
`

type Sample = { tMs: number; rss: number; heapUsed: number; external: number; liveHeap?: number }
type Done = {
  lagMs: { p50: number; p99: number; max: number; mean: number }
  eventLoopUtilization: number
  counts: Record<string, number>
  journalMb: number
  status: string
  stop: unknown
  errors: Record<string, number>
  errorSamples: string[]
}

const children: ChildProcess[] = []
const dir = mkdtempSync(join(tmpdir(), 'alp-soak-'))
let summary: string[] = []

async function soak(): Promise<void> {
  const venue = spawn(process.execPath, ['--input-type=module', '-e', VENUE_SCRIPT], {
    cwd: join(here, '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  children.push(venue)
  const venueLines = createInterface({ input: venue.stdout as NodeJS.ReadableStream })
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      venue.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)))
      venueLines.once('line', resolve)
    })
  const urls = JSON.parse(await nextLine()) as { restUrl: string; wsUrl: string }

  const script = bundleScript('soakDeployment.ts')
  const samples: Sample[] = []
  const deployment = spawn(process.execPath, ['--expose-gc', script], {
    env: {
      ...process.env,
      ALP_SOAK_DIR: dir,
      ALP_SOAK_RUN_MS: String(RUN_MS),
      ALP_SOAK_SAMPLE_MS: String(SAMPLE_MS),
      ALP_SOAK_REST_URL: urls.restUrl,
      ALP_SOAK_WS_URL: urls.wsUrl,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  children.push(deployment)
  const done = await new Promise<Done>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('the soak deployment did not finish')), RUN_MS + 180_000)
    deployment.on('message', (message: { type: string } & Partial<Sample & Done & { message: string }>) => {
      if (message.type === 'sample') samples.push(message as Sample)
      else if (message.type === 'fatal') reject(new Error(`soak deployment: ${message.message}`))
      else if (message.type === 'done') {
        clearTimeout(deadline)
        resolve(message as Done)
      }
    })
    deployment.once('exit', (code) => reject(new Error(`soak deployment exited with ${code}`)))
  })
  rmSync(script, { force: true })
  const replayed = nextLine()
  venue.stdin?.end()
  const { replayMs } = JSON.parse(await replayed) as { replayMs: number }

  const mb = (bytes: number) => bytes / 2 ** 20
  const after = samples.filter((s) => s.tMs >= WARM_UP_MS)
  const perHour = (field: 'rss' | 'heapUsed') =>
    mb(linearSlope(after.map((s) => ({ x: s.tMs, y: s[field] })))) * 3_600_000
  const rssSlope = perHour('rss')
  const heapSlope = perHour('heapUsed')
  const live = after.filter((s) => s.liveHeap !== undefined)
  const liveSlope = mb(linearSlope(live.map((s) => ({ x: s.tMs, y: s.liveHeap ?? 0 })))) * 3_600_000
  const liveAll = samples.filter((s) => s.liveHeap !== undefined)
  const peakRss = mb(Math.max(...samples.map((s) => s.rss)))
  const first = samples[0]
  const last = samples[samples.length - 1]
  const pass = rssSlope <= MAX_RSS_SLOPE_MB_PER_HOUR && peakRss <= MAX_RSS_MB
  summary = [
    '',
    `soak: ${MINUTES} min wall, ${(replayMs / 60_000).toFixed(0)} replay minutes of 2024-01-05 (klines at ${SPEED}×), every role in one process against the Binance emulator (another process)`,
    `  RSS: ${mb(first?.rss ?? 0).toFixed(0)} MB at start, ${mb(last?.rss ?? 0).toFixed(0)} MB at the end, peak ${peakRss.toFixed(0)} MB; slope after the first ${(WARM_UP_MS / 1000).toFixed(0)} s: ${rssSlope.toFixed(1)} MB/hour (${after.length} samples every ${SAMPLE_MS / 1000} s)`,
    `  heap used: ${mb(first?.heapUsed ?? 0).toFixed(0)} → ${mb(last?.heapUsed ?? 0).toFixed(0)} MB, slope ${heapSlope.toFixed(1)} MB/hour; live heap after a full GC (every ${(SAMPLE_MS * 15) / 1000} s): ${liveAll.map((s) => mb(s.liveHeap ?? 0).toFixed(1)).join(' → ')} MB, slope ${live.length >= 2 ? `${liveSlope.toFixed(1)} MB/hour` : 'n/a (run ≥ 2 min)'}`,
    `  event-loop delay (beyond the monitor's 10 ms timer): p50 ${done.lagMs.p50.toFixed(2)} ms, p99 ${done.lagMs.p99.toFixed(2)} ms, max ${done.lagMs.max.toFixed(1)} ms (mean ${done.lagMs.mean.toFixed(2)} ms); utilisation ${(done.eventLoopUtilization * 100).toFixed(1)} %`,
    `  traffic: ${Object.entries(done.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}; journal ${done.journalMb.toFixed(1)} MB; trader ${done.status} at the end; stop: ${JSON.stringify(done.stop)}`,
    `  role errors: ${Object.keys(done.errors).length === 0 ? 'none' : JSON.stringify(done.errors)}${done.errorSamples.length > 0 ? ` (first: ${done.errorSamples.join(' | ')})` : ''}`,
    `  memory bound (RSS slope ≤ ${MAX_RSS_SLOPE_MB_PER_HOUR} MB/hour after the warm-up, peak ≤ ${MAX_RSS_MB} MB): ${pass ? 'PASS' : 'FAIL'}`,
  ]
  console.log(summary.join('\n'))
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

describe(`soak: ${MINUTES} minutes of accelerated replay through the deployment`, () => {
  bench('deployment on the replayed day (one run; the summary has the figures)', soak, {
    iterations: 1,
    time: 0,
    warmupIterations: 0,
    warmupTime: 0,
  })
})
