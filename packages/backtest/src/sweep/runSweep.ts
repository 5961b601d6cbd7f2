import { Worker } from 'node:worker_threads'
import { BacktestError } from '../errors/base.js'
import type { SweepJob, SweepRow } from './sweepTypes.js'

export type RunSweepParameters = {
  jobs: readonly SweepJob[]
  /** Worker threads (≥ 1); each runs one job at a time. */
  threads: number
  /** The built worker module (default: dist/sweep/sweepWorker.js beside the built package). */
  workerUrl?: URL | undefined
}

/**
 * Runs sweep jobs across worker threads and returns the rows in job order (deterministic regardless of which thread
 * finished first). A failed job rejects the sweep with its label and message.
 */
export async function runSweep({ jobs, threads, workerUrl }: RunSweepParameters): Promise<SweepRow[]> {
  const url = workerUrl ?? new URL('./sweep/sweepWorker.js', import.meta.url)
  const rows: SweepRow[] = new Array(jobs.length)
  let next = 0
  const count = Math.max(1, Math.min(threads, jobs.length))
  const runWorker = async () => {
    const worker = new Worker(url)
    try {
      while (next < jobs.length) {
        const index = next++
        const job = jobs[index]!
        const answer = await new Promise<{ ok: true; row: SweepRow } | { ok: false; message: string }>(
          (resolve, reject) => {
            worker.once('message', resolve)
            worker.once('error', reject)
            worker.postMessage(job)
          },
        )
        if (!answer.ok) {
          throw new BacktestError(`Sweep job '${job.label}' failed.`, {
            code: 'SWEEP_JOB_FAILED',
            details: answer.message,
            metaMessages: [`job: ${job.label}`, 'Next: run that job alone (runSweepJob) to see the full error.'],
          })
        }
        rows[index] = answer.row
      }
    } finally {
      await worker.terminate()
    }
  }
  await Promise.all(Array.from({ length: count }, runWorker))
  return rows
}
