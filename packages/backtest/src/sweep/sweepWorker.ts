import { parentPort } from 'node:worker_threads'
import { runSweepJob } from './runSweepJob.js'
import type { SweepJob } from './sweepTypes.js'

// Worker entry of runSweep: receives jobs, answers { ok, row } or { ok: false, message } per job.
parentPort?.on('message', async (job: SweepJob) => {
  try {
    parentPort?.postMessage({ ok: true, row: await runSweepJob(job) })
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) })
  }
})
