// A small job pool for scripts/test-all.mjs: runs independent commands a few at a time, longest expected first, and
// prints each job's output whole when it ends (so the log reads job by job) with a live start/end line per job.
//
// Written here instead of `turbo run test`: turbo starts independent tasks in its own order (the runtime package, the
// longest suite, started last and set the run's length) and runs the repository checks (typecheck, docs, packages) only
// one after another around it; the pool packs all of them into the same slots, longest first. Expected durations come
// from the previous run on this machine (node_modules/.cache/alp-test-durations.json) or, on a fresh clone, from the
// table below (each job's time in the pool of a clean-clone CI run, Node 20, December 2026: contended, not alone).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Seconds each job took in a clean-clone CI run; a job not listed is expected to take 30 s. */
export const DEFAULT_EXPECTED_SECONDS = {
  'test @alp/runtime': 329,
  'test @alp/venue-sim': 283,
  'test @alp/uniswap-lp': 251,
  docs: 245,
  typecheck: 175,
  'test @alp/hedger': 157,
  'test @alp/backtest': 123,
  packages: 108,
  'test @alp/exchange-connectors': 76,
  'test @alp/models': 57,
  'test @alp/example-backtest-notebook': 27,
  'test:deno @alp/backtest': 21,
  scripts: 14,
  'test @alp/charts': 8,
  'test:deno @alp/models': 7,
  dependencies: 4,
  'test @alp/internal-errors': 3,
  'test @alp/example-as2008': 3,
}

function readDurations(file) {
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
  } catch {
    return {} // a torn cache file only loses the ordering hint
  }
}

/**
 * Runs `jobs` ({ name, key, cmd, args, cwd? }) with at most `slots` at a time. Resolves to one result per job
 * ({ name, key, ok, status, seconds, output }) in the jobs' order.
 */
export async function runJobPool(jobs, { slots, env, cwd, durationsFile, log = console.log }) {
  const known = { ...DEFAULT_EXPECTED_SECONDS, ...(durationsFile ? readDurations(durationsFile) : {}) }
  const expected = (job) => known[job.key] ?? 30
  const queue = [...jobs].sort((a, b) => expected(b) - expected(a))
  const results = new Map()
  const started = Date.now()
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`

  const runOne = (job) =>
    new Promise((resolve) => {
      const t0 = Date.now()
      log(`--- [${elapsed()}] start ${job.name}`)
      const chunks = []
      const child = spawn(job.cmd, job.args, { cwd: job.cwd ?? cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
      child.stdout.on('data', (c) => chunks.push(c))
      child.stderr.on('data', (c) => chunks.push(c))
      const finish = (status, error) => {
        const seconds = (Date.now() - t0) / 1000
        const output = Buffer.concat(chunks).toString('utf8') + (error ? `\n${error.message}\n` : '')
        const ok = status === 0
        log(`\n=== ${job.name}: ${job.cmd} ${job.args.join(' ')}${job.cwd ? `   (in ${job.cwd})` : ''}`)
        process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`)
        log(`--- [${elapsed()}] ${ok ? 'ok  ' : 'FAIL'} ${job.name} (${seconds.toFixed(1)} s)`)
        resolve({ name: job.name, key: job.key, ok, status, seconds, output })
      }
      child.on('error', (error) => finish(-1, error))
      child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)))
    })

  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) results.set(job, await runOne(job))
  }
  await Promise.all(Array.from({ length: Math.max(1, slots) }, worker))

  if (durationsFile) {
    const next = { ...readDurations(durationsFile) }
    for (const r of results.values()) next[r.key] = Math.round(r.seconds)
    mkdirSync(dirname(durationsFile), { recursive: true })
    writeFileSync(durationsFile, `${JSON.stringify(next, null, 2)}\n`)
  }
  return jobs.map((j) => results.get(j))
}
