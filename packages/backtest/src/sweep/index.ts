export { formatSweepTable } from './formatSweepTable.js'
export { type RunSweepParameters, runSweep } from './runSweep.js'
export { runSweepJob } from './runSweepJob.js'
export type { SweepJob, SweepRow } from './sweepTypes.js'
