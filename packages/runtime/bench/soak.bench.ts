import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, bench, describe } from 'vitest'
import { bundleScript } from './src/bundleScript.js'
import { createSoakCredentials } from './src/soakConfig.js'
import { linearSlope } from './src/stats.js'

/*
 * Soak, ALP_SOAK_MINUTES of wall time (default 10; develop with 1) of accelerated replay at ALP_SOAK_SPEED (default 144:
 * the whole of 2024-01-05 in 10 minutes) through the whole deployment, in one of two modes (ALP_SOAK_MODE):
 * - `paper` (default): `runPaper` of src/paper, what `alp paper` runs (bench/src/soakPaper.ts): anvil replaying the
 *   day's pool (its own process), the Binance emulator replaying the day's klines on the same replay clock and every
 *   role of examples/paper-deployment with the real LP manager, all in the measured process; the window
 *   00:00 → MINUTES × SPEED replay minutes;
 * - `roles`: what the soak drove before the paper runner landed (bench/src/soakDeployment.ts): every role in one
 *   process from an INI file (binance quote-server, trading-engine, position-server, the trader with journal and
 *   metrics, the lp-manager fed by an inventory stream revaluing a constant-product LP at the replayed mid) against the
 *   Binance emulator in another process replaying the klines on a replay clock.
 * Reported for the measured process: the RSS slope (least squares over the samples after the warm-up: the first 60 s,
 * or the first quarter of a shorter run), the heap slope, the live heap after a full GC every 30 s (node --expose-gc),
 * the peak RSS; event-loop delay p50/p99/max (perf_hooks monitorEventLoopDelay, 10 ms resolution, the 10 ms taken
 * off) and utilisation; the traffic, and the journal's replay check. PASS/FAIL (printed, never thrown) against the
 * memory bound below.
 */
const MINUTES = Number(process.env.ALP_SOAK_MINUTES ?? 10)
/** `paper` (default): the paper runner; `roles`: the roles against the emulator, as before the runner landed. */
const MODE = process.env.ALP_SOAK_MODE === 'roles' ? 'roles' : 'paper'
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

/**
 * The emulator process: Binance USDⓈ-M, the soak's account, the klines market on a replay clock. The account's key
 * and secret come from its environment (this run's {@link createSoakCredentials}), never from the script's text.
 */
const VENUE_SCRIPT = `
import { createReplayClock } from '@alp/venue-sim'
import { startBinanceEmulator } from '@alp/venue-sim/binance'
const clock = createReplayClock({ startMs: ${DAY_MS}, speed: ${SPEED} })
const emu = await startBinanceEmulator({
  port: 0,
  symbols: ['ETHUSDT'],
  accounts: [{ apiKey: process.env.SOAK_BN_KEY, apiSecret: process.env.SOAK_BN_SECRET, balances: { USDT: '100000' } }],
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

type Sample = {
  tMs: number
  rss: number
  heapUsed: number
  /** The V8 heap's reserved pages (used or not): RSS − heapTotal is memory outside the JS heap (native, buffers). */
  heapTotal: number
  external: number
  arrayBuffers: number
  liveHeap?: number
}
type Done = {
  lagMs: { p50: number; p99: number; max: number; mean: number }
  eventLoopUtilization: number
  counts: Record<string, number>
  journalMb: number
  status: string
  stop: unknown
  errors: Record<string, number>
  errorSamples: string[]
  /** Set when the soak process never sent its report (it hung or died after sampling): only memory is known. */
  incomplete?: string
}

const children: ChildProcess[] = []
const dir = mkdtempSync(join(tmpdir(), 'alp-soak-'))
let summary: string[] = []

/** Runs a bundled soak process with an IPC channel; resolves with its samples and its `done` report. */
async function runSoakProcess(
  script: string,
  env: Record<string, string>,
  cwd: string,
): Promise<{ samples: Sample[]; done: Done }> {
  const samples: Sample[] = []
  const child = spawn(process.execPath, ['--expose-gc', script], {
    cwd,
    env: { ...process.env, ALP_SOAK_DIR: dir, ALP_SOAK_SAMPLE_MS: String(SAMPLE_MS), ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  children.push(child)
  const done = await new Promise<Done>((resolve, reject) => {
    // Without its report the run still has its memory samples: those are summarised, the failure stated.
    const fail = (reason: string): void => {
      clearTimeout(deadline)
      if (samples.length < 2) {
        reject(new Error(reason))
        return
      }
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      const nan = Number.NaN
      resolve({
        lagMs: { p50: nan, p99: nan, max: nan, mean: nan },
        eventLoopUtilization: nan,
        counts: {},
        journalMb: nan,
        status: 'unknown',
        stop: null,
        errors: {},
        errorSamples: [],
        incomplete: reason,
      })
    }
    // the paper run adds anvil's start, the pool's setup and the backtester and parity report after the window
    const deadline = setTimeout(() => fail('the soak process did not finish'), RUN_MS * 2 + 300_000)
    child.on('message', (message: { type: string } & Partial<Sample & Done & { message: string }>) => {
      if (message.type === 'sample') samples.push(message as Sample)
      else if (message.type === 'fatal') fail(`soak process: ${message.message}`)
      else if (message.type === 'done') {
        clearTimeout(deadline)
        resolve(message as Done)
      }
    })
    child.once('exit', (code) => fail(`soak process exited with ${code}`))
  })
  rmSync(script, { force: true })
  return { samples, done }
}

/** `alp paper`'s runner (src/paper/runPaper.ts) on 00:00 → MINUTES × SPEED replay minutes of 2024-01-05. */
async function soakPaper(): Promise<{ samples: Sample[]; done: Done; what: string }> {
  const script = bundleScript('soakPaper.ts', { externalWorkspace: true })
  const { samples, done } = await runSoakProcess(
    script,
    { ALP_SOAK_MINUTES: String(MINUTES), ALP_SOAK_SPEED: String(SPEED) },
    join(here, '..'),
  )
  const replayMinutes = Math.min(24 * 60, Math.round(MINUTES * SPEED))
  return {
    samples,
    done,
    what: `runPaper (alp paper) on ${replayMinutes} replay minutes of 2024-01-05 at ${SPEED}×: anvil replaying the pool (its own process), the Binance emulator replaying the klines and every role of examples/paper-deployment in one process`,
  }
}

/** The roles of one process against the emulator in another (bench/src/soakDeployment.ts), for MINUTES of wall time. */
async function soakRoles(): Promise<{ samples: Sample[]; done: Done; what: string }> {
  // This run's emulator account and LP wallet key: to the emulator and the roles through their environment only.
  const credentials = createSoakCredentials().env()
  const venue = spawn(process.execPath, ['--input-type=module', '-e', VENUE_SCRIPT], {
    cwd: join(here, '..'),
    env: { ...process.env, ...credentials },
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
  const { samples, done } = await runSoakProcess(
    bundleScript('soakDeployment.ts'),
    { ...credentials, ALP_SOAK_RUN_MS: String(RUN_MS), ALP_SOAK_REST_URL: urls.restUrl, ALP_SOAK_WS_URL: urls.wsUrl },
    join(here, '..'),
  )
  const replayed = nextLine()
  venue.stdin?.end()
  const { replayMs } = JSON.parse(await replayed) as { replayMs: number }
  return {
    samples,
    done,
    what: `${(replayMs / 60_000).toFixed(0)} replay minutes of 2024-01-05 (klines at ${SPEED}×), every role in one process against the Binance emulator (another process)`,
  }
}

async function soak(): Promise<void> {
  const { samples, done, what } = MODE === 'paper' ? await soakPaper() : await soakRoles()
  const mb = (bytes: number) => bytes / 2 ** 20
  const after = samples.filter((s) => s.tMs >= WARM_UP_MS)
  const perHour = (field: 'rss' | 'heapUsed' | 'heapTotal' | 'external' | 'native') =>
    mb(
      linearSlope(
        after.map((s) => ({ x: s.tMs, y: field === 'native' ? s.rss - (s.heapTotal ?? 0) : (s[field] ?? 0) })),
      ),
    ) * 3_600_000
  const rssSlope = perHour('rss')
  // The same slope over the second half of the measured time only: near 0 once the warm-up's caches (V8's heap
  // sizing, SQLite's page cache, the command servers' ack memory of rememberAcksMs) have filled, whatever the first
  // half did; the bound below still applies to the whole run after WARM_UP_MS.
  const endMs = samples.at(-1)?.tMs ?? 0
  const secondHalf = samples.filter((s) => s.tMs >= endMs / 2)
  const rssSlopeSecondHalf = mb(linearSlope(secondHalf.map((s) => ({ x: s.tMs, y: s.rss })))) * 3_600_000
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
    `soak (${MODE}): ${what}; ${((samples.at(-1)?.tMs ?? 0) / 60_000).toFixed(1)} min measured`,
    `  RSS: ${mb(first?.rss ?? 0).toFixed(0)} MB at start, ${mb(last?.rss ?? 0).toFixed(0)} MB at the end, peak ${peakRss.toFixed(0)} MB; slope after the first ${(WARM_UP_MS / 1000).toFixed(0)} s: ${rssSlope.toFixed(1)} MB/hour (${after.length} samples every ${SAMPLE_MS / 1000} s); over the second half only: ${rssSlopeSecondHalf.toFixed(1)} MB/hour`,
    `  where the RSS is: V8 heap reserved (heapTotal) ${mb(first?.heapTotal ?? 0).toFixed(0)} → ${mb(last?.heapTotal ?? 0).toFixed(0)} MB (slope ${perHour('heapTotal').toFixed(1)} MB/hour); outside the V8 heap (RSS − heapTotal: native code, SQLite, sockets, buffers) ${mb((first?.rss ?? 0) - (first?.heapTotal ?? 0)).toFixed(0)} → ${mb((last?.rss ?? 0) - (last?.heapTotal ?? 0)).toFixed(0)} MB (slope ${perHour('native').toFixed(1)} MB/hour), of it external ${mb(first?.external ?? 0).toFixed(0)} → ${mb(last?.external ?? 0).toFixed(0)} MB (array buffers ${mb(last?.arrayBuffers ?? 0).toFixed(1)} MB at the end)`,
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
  if (done.incomplete !== undefined)
    summary.splice(
      2,
      0,
      `  INCOMPLETE: ${done.incomplete} (memory from its samples; no delay, traffic or journal figures)`,
    )
  console.log(summary.join('\n'))
  if (done.incomplete !== undefined) throw new Error(done.incomplete)
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

describe(`soak (${MODE}): ${MINUTES} minutes of accelerated replay through the deployment`, () => {
  bench(
    `${MODE === 'paper' ? 'alp paper' : 'the roles'} on the replayed day (one run; the summary has the figures)`,
    soak,
    {
      iterations: 1,
      time: 0,
      warmupIterations: 0,
      warmupTime: 0,
    },
  )
})
