export { findUnknownKeys, suggestKey, type UnknownKey } from './findUnknownKeys.js'
export { loadGasPriceSeries } from './loadGasPriceSeries.js'
export { type LoadRunConfigErrorType, loadRunConfig } from './loadRunConfig.js'
export {
  collectRunConfigIssues,
  type ParseRunConfigErrorType,
  type ParseRunConfigParameters,
  parseRunConfig,
} from './parseRunConfig.js'
export { type GasPriceSeries, type ResolvedModels, resolveModels } from './resolveModels.js'
export type { RunConfig } from './runConfig.js'
export {
  ConfigSyntaxError,
  type ConfigSyntaxErrorType,
  ConfigUnreadableError,
  type ConfigUnreadableErrorType,
  formatRunConfigIssue,
  InvalidRunConfigError,
  type InvalidRunConfigErrorType,
  type RunConfigIssue,
} from './runConfigErrors.js'
export { runConfigSchema } from './runConfigSchema.js'
export { type ScanJsonPositionsReturnType, scanJsonPositions, type TextPosition } from './scanJsonPositions.js'
