import { InvalidParameterError } from '../errors/parameter.js'
import { ReorgTooDeepError } from './errors.js'
import type { Ledger, LedgerEntry, LedgerState } from './ledgerState.js'

/** A ledger whose processed block is `entry` (the baseline). */
export function createLedger(entry: LedgerEntry, window: number): Ledger {
  if (!Number.isInteger(window) || window < 1)
    throw new InvalidParameterError({ field: 'reorgWindowBlocks', value: window, rule: 'an integer >= 1' })
  return { entries: [entry], window }
}

/** The last processed entry. */
export function ledgerHead(ledger: Ledger): LedgerEntry {
  return ledger.entries[ledger.entries.length - 1]!
}

/** Appends a processed block (its number above the head's), dropping entries beyond the window. Pure. */
export function appendLedgerEntry(ledger: Ledger, entry: LedgerEntry): Ledger {
  const head = ledgerHead(ledger)
  if (entry.number <= head.number)
    throw new InvalidParameterError({ field: 'entry.number', value: entry.number, rule: `> ${head.number}` })
  const entries = [...ledger.entries, entry]
  return { ...ledger, entries: entries.slice(Math.max(0, entries.length - ledger.window)) }
}

/**
 * Drops every entry above `blockNumber` (the last common block, which must be kept). Pure.
 * @throws ReorgTooDeepError when no kept entry is at or below it.
 */
export function rollbackLedger(ledger: Ledger, blockNumber: number): Ledger {
  const entries = ledger.entries.filter((e) => e.number <= blockNumber)
  if (entries.length === 0)
    throw new ReorgTooDeepError({
      processedBlock: ledgerHead(ledger).number,
      oldestKeptBlock: ledger.entries[0]!.number,
    })
  return { ...ledger, entries }
}

/** JSON text of a ledger or a checkpoint holding one (bigints as `{"$n":"…"}`). */
export function serializeLedger(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? { $n: v.toString() } : v))
}

/** The inverse of {@link serializeLedger}; the caller states what it expects back. */
export function parseLedger<T = Ledger>(text: string): T {
  return JSON.parse(text, (_key, v) =>
    v !== null && typeof v === 'object' && typeof v.$n === 'string' && Object.keys(v).length === 1 ? BigInt(v.$n) : v,
  ) as T
}

export type { Ledger, LedgerEntry, LedgerState }
