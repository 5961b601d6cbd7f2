import { createGrvtClientOrderId, type Fill, type Order } from '@alp/exchange-connectors'
import { HedgerError } from '../errors/base.js'

/** Two-way map between the core's client order ids (`alp0x1a`) and GRVT's uint64 ids (2^63 + sequence). */
export type GrvtOrderIdTranslator = {
  /** The GRVT id for a core id: a new one (next sequence) the first time, the same one after. */
  toVenue(clientOrderId: string): string
  /** The core id for a GRVT id; an id this process never issued is returned unchanged (the core adopts it). */
  fromVenue(venueClientOrderId: string): string
  order(order: Order): Order
  fill(fill: Fill): Fill
}

/** Options of the translator. */
export type CreateGrvtOrderIdTranslatorOptions = {
  /**
   * The process start, UNIX ms: GRVT ids are 2^63 + startMs·2^20 + sequence, so two runs never issue the same id (a
   * restarted process must not reuse the ids of its previous run's orders). Default 0 (tests).
   */
  readonly runStartMs?: number
}

/** Ids per run before the sequence would reach the next millisecond's range. */
const IDS_PER_RUN = 1n << 20n

/**
 * GRVT accepts only client order ids in [2^63, 2^64 − 1]; the core's ids are short strings. This keeps the mapping
 * for the life of the runner (ids are unique within a run by sequence and across runs by the start time; GRVT scopes
 * ids to the sub-account, so two processes quoting one sub-account must not share it anyway).
 * @throws HedgerError when `runStartMs` is not a non-negative safe integer below 2^42 (year 2109).
 */
export function createGrvtOrderIdTranslator(options: CreateGrvtOrderIdTranslatorOptions = {}): GrvtOrderIdTranslator {
  const runStartMs = options.runStartMs ?? 0
  if (!Number.isSafeInteger(runStartMs) || runStartMs < 0 || runStartMs >= 2 ** 42)
    throw new HedgerError(`runStartMs must be a non-negative integer below 2^42 (UNIX ms), got ${runStartMs}.`, {
      code: 'INVALID_RUN_START',
    })
  const toVenueIds = new Map<string, string>()
  const fromVenueIds = new Map<string, string>()
  const base = BigInt(runStartMs) * IDS_PER_RUN
  let sequence = 0n
  const toVenue = (clientOrderId: string): string => {
    const known = toVenueIds.get(clientOrderId)
    if (known !== undefined) return known
    // Core ids always contain an `x`; an all-digit id is a venue id the core adopted: pass it through.
    if (/^[1-9]\d*$/.test(clientOrderId)) return clientOrderId
    sequence += 1n
    if (sequence >= IDS_PER_RUN)
      throw new HedgerError('More than 2^20 GRVT orders in one run.', {
        code: 'GRVT_ORDER_IDS_EXHAUSTED',
        metaMessages: ['Next: restart the runner (a new run gets a fresh id range).'],
      })
    const venueId = createGrvtClientOrderId(base + sequence)
    toVenueIds.set(clientOrderId, venueId)
    fromVenueIds.set(venueId, clientOrderId)
    return venueId
  }
  const fromVenue = (venueClientOrderId: string): string => fromVenueIds.get(venueClientOrderId) ?? venueClientOrderId
  return {
    toVenue,
    fromVenue,
    order: (order) => ({ ...order, clientOrderId: fromVenue(order.clientOrderId) }),
    fill: (fill) => ({ ...fill, clientOrderId: fromVenue(fill.clientOrderId) }),
  }
}
