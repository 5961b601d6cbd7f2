import { simulateAs2008 } from '@alp/models'
import { runBacktest } from '../strategy/runBacktest.js'
import type { SweepJob, SweepRow } from './sweepTypes.js'

/** Runs one sweep job in the current thread (the worker calls this; tests can too). */
export async function runSweepJob(job: SweepJob): Promise<SweepRow> {
  if (job.kind === 'as2008') {
    const r = simulateAs2008({ gammaPerPrice: job.gammaPerPrice, seed: job.seed, paths: job.paths })
    return {
      label: job.label,
      values: {
        inventorySpread: r.inventory.averageSpread,
        inventoryProfit: r.inventory.meanProfit,
        inventoryStdProfit: r.inventory.stdProfit,
        inventoryFinalQ: r.inventory.meanFinalQ,
        inventoryStdFinalQ: r.inventory.stdFinalQ,
        symmetricProfit: r.symmetric.meanProfit,
        symmetricStdProfit: r.symmetric.stdProfit,
        symmetricStdFinalQ: r.symmetric.stdFinalQ,
      },
    }
  }
  const results = await runBacktest({ config: job.config })
  const s = results.summary
  return {
    label: job.label,
    values: {
      pnlVsHoldUsd: s.pnlVsHoldUsd,
      feesUsd: s.feesUsd,
      impermanentLossUsd: s.impermanentLossUsd,
      hedgePnlUsd: s.hedgePnlUsd,
      gasUsd: s.gasUsd,
      rebalances: s.rebalances,
      trades: s.trades,
      timeInRange: s.timeInRange,
      sharpe: s.sharpe,
    },
  }
}
