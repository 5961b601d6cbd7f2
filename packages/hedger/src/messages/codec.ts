import { InvalidMessageError } from '../errors/message.js'
import type { HedgerCommand } from './commands.js'
import type { HedgerEvent } from './events.js'

/** Any message that crosses a process boundary. */
export type HedgerMessage = HedgerEvent | HedgerCommand

const TYPES: ReadonlySet<string> = new Set([
  'bbo',
  'book',
  'trade',
  'lpInventory',
  'orderUpdate',
  'fill',
  'position',
  'openOrders',
  'orderAbsent',
  'commandFailed',
  'balance',
  'venueHealth',
  'timer',
  'operator',
  'placeOrder',
  'amendOrder',
  'cancelOrder',
  'cancelAll',
  'armDeadManSwitch',
  'requestOpenOrders',
  'lookupOrder',
  'halt',
  'resume',
  'suggestRange',
  'log',
  'metric',
])

/** The `bigint` fields of messages (nanosecond instants): written as decimal integer strings. */
const BIGINT_FIELDS = ['tsNs', 'requestedNs'] as const

/**
 * JSON codec for hedger messages (ZeroMQ frames, logs, replay files). The `bigint` fields (`tsNs`, `requestedNs`) are
 * written as decimal integer strings. Everything else is already JSON-safe (integers, decimal strings, booleans).
 */
export function encodeHedgerMessage(message: HedgerMessage): string {
  return JSON.stringify(message, (key, value) =>
    typeof value === 'bigint' && (key === 'tsNs' || key === 'requestedNs') ? value.toString() : value,
  )
}

export type DecodeHedgerMessageErrorType = InvalidMessageError

/**
 * Inverse of {@link encodeHedgerMessage}. Checks the `type` tag and `tsNs`; field-level checks of the body are the
 * receiver's (the core only trusts its own adapters' messages).
 * @throws InvalidMessageError naming the bad field.
 */
export function decodeHedgerMessage(text: string): HedgerMessage {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw new InvalidMessageError({ field: 'message', value: text.slice(0, 80), rule: `JSON (${String(cause)})` })
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidMessageError({ field: 'message', value: parsed, rule: 'a JSON object' })
  const record = parsed as Record<string, unknown>
  if (typeof record.type !== 'string' || !TYPES.has(record.type))
    throw new InvalidMessageError({ field: 'type', value: record.type, rule: `one of ${[...TYPES].join(', ')}` })
  const ts = record.tsNs
  if (typeof ts !== 'string' || !/^-?(0|[1-9][0-9]*)$/.test(ts))
    throw new InvalidMessageError({ field: 'tsNs', value: ts, rule: 'a decimal integer string (nanoseconds)' })
  const decoded: Record<string, unknown> = { ...record, tsNs: BigInt(ts) }
  for (const field of BIGINT_FIELDS) {
    if (field === 'tsNs' || !(field in record)) continue
    const value = record[field]
    if (typeof value !== 'string' || !/^-?(0|[1-9][0-9]*)$/.test(value))
      throw new InvalidMessageError({ field, value, rule: 'a decimal integer string (nanoseconds)' })
    decoded[field] = BigInt(value)
  }
  return decoded as unknown as HedgerMessage
}
