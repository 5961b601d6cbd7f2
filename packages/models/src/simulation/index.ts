export { AS2008_PAPER_PARAMETERS } from './as2008PaperParameters.js'
export type { As2008PublishedRow } from './as2008PublishedTables.js'
export { AS2008_PUBLISHED_TABLES } from './as2008PublishedTables.js'
export type { As2008Acceptance, As2008Check, CheckAs2008ReproductionErrorType } from './checkAs2008Reproduction.js'
export { checkAs2008Reproduction } from './checkAs2008Reproduction.js'
export type {
  As2008SimulationResult,
  As2008StrategyResult,
  SimulateAs2008ErrorType,
  SimulateAs2008Parameters,
} from './simulateAs2008.js'
export { simulateAs2008 } from './simulateAs2008.js'
