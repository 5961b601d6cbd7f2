import { type HedgerEvent, type HedgerState, type StepResult, step } from '@alp/hedger'
import type { Journal } from './Journal.js'

/**
 * One step of the hedger core, journaled: `step(state, event)`, then the event and its commands appended in one
 * transaction before the commands are returned for execution (journal first, so a crash never leaves an executed
 * command unjournaled). The trader role calls this instead of `step`.
 */
export function stepJournaled(journal: Journal, runId: string, state: HedgerState, event: HedgerEvent): StepResult {
  const result = step(state, event)
  journal.appendStep(runId, event, result.commands)
  return result
}
