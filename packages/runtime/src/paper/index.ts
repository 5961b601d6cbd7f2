// @alp/runtime/paper: paper mode (`alp paper`). Loads @alp/venue-sim and @alp/backtest (optional peer dependencies):
// the main entry and `alp start` never import this module.

// The journal replayed into the backtester's results (also `alp history --report`): loads @alp/backtest too.
export {
  type ReplayJournalIntoBacktestErrorType,
  type ReplayJournalIntoBacktestOptions,
  type ReplayJournalIntoBacktestReturnType,
  replayJournalIntoBacktest,
  writeJournalReport,
} from '../journal/replayJournalIntoBacktest.js'
export { type BuildPaperResultsParameters, buildPaperResults, type PaperFill } from './buildPaperResults.js'
export {
  buildParityReport,
  type HedgeSummary,
  type ParityContext,
  type ParityReport,
  type ParityRow,
  type PnlParts,
  renderParityMarkdown,
} from './buildParityReport.js'
export { createHeldReplayClock, type HeldReplayClock } from './createHeldReplayClock.js'
export {
  type CreatePaperLpManagerParameters,
  createPaperLpManager,
  type PaperLpManager,
  type PaperLpSample,
  type PaperRebalance,
} from './createPaperLpManager.js'
export { createReplayGate, type GateClock, type ReplayGate } from './createReplayGate.js'
export { PaperRoleNotReadyError, type PaperRoleNotReadyErrorType } from './paperSplit.js'
export {
  PAPER_STRATEGY_DEFAULTS,
  type PaperStrategy,
  type PaperStrategyOverrides,
} from './paperStrategy.js'
export {
  backtestConfigOf,
  type PaperProgress,
  type PaperRunResult,
  type RunPaperOptions,
  runPaper,
} from './runPaper.js'
export { PAPER_ENV, type PaperEndpoints, writePaperIni } from './writePaperIni.js'
