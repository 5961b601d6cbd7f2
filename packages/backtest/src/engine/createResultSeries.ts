import type { ResultSeries } from '../report/resultsTypes.js'

/**
 * The results' per-sample series (docs/backtest.md#results), every column empty: one instance per run, filled one
 * sample at a time by the backtester, by the paper run's results and by the journal's replay, so the three write
 * the same columns.
 */
export function createResultSeries(): ResultSeries {
  return {
    tsMs: [],
    poolPrice: [],
    venuePrice: [],
    baseLowerPrice: [],
    baseUpperPrice: [],
    limitLowerPrice: [],
    limitUpperPrice: [],
    lpBase: [],
    hedgeBase: [],
    netExposureBase: [],
    feesUsd: [],
    impermanentLossUsd: [],
    hedgePnlUsd: [],
    gasUsd: [],
    pnlVsHoldUsd: [],
    equityUsd: [],
  }
}
