export { decimalPercent, decimalSub, decimalSum } from './decimalSum.js'
export {
  type HistorySummary,
  Journal,
  type JournalFill,
  type JournalStep,
  type LpActionRecord,
  type OpenJournalOptions,
  type PnlSnapshot,
  type ReplayResult,
} from './Journal.js'
export { JOURNAL_SCHEMA_VERSION } from './schema.js'
export { stepJournaled } from './stepJournaled.js'
