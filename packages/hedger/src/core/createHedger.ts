import type { HedgerConfigInput } from '../config/hedgerConfigSchema.js'
import { type ParseHedgerConfigErrorType, parseHedgerConfig } from '../config/parseHedgerConfig.js'
import { type CreateHedgerStateOptions, createHedgerState } from './createHedgerState.js'
import type { HedgerState } from './types.js'

export type CreateHedgerErrorType = ParseHedgerConfigErrorType

/** Validates a config and returns the initial core state. @throws InvalidConfigError naming the bad field. */
export function createHedger(config: HedgerConfigInput, options: CreateHedgerStateOptions = {}): HedgerState {
  return createHedgerState(parseHedgerConfig(config), options)
}
