import { createGrvtClientOrderId, type Fill, type Order } from '@alp/exchange-connectors'

/** Two-way map between the core's client order ids (`alp0x1a`) and GRVT's uint64 ids (2^63 + sequence). */
export type GrvtOrderIdTranslator = {
  /** The GRVT id for a core id: a new one (next sequence) the first time, the same one after. */
  toVenue(clientOrderId: string): string
  /** The core id for a GRVT id; an id this process never issued is returned unchanged (the core adopts it). */
  fromVenue(venueClientOrderId: string): string
  order(order: Order): Order
  fill(fill: Fill): Fill
}

/**
 * GRVT accepts only client order ids in [2^63, 2^64 − 1]; the core's ids are short strings. This keeps the mapping
 * for the life of the runner (sequence from 1, so ids never collide within one process; GRVT scopes ids to the
 * sub-account, so two processes quoting one sub-account must not share it anyway).
 */
export function createGrvtOrderIdTranslator(): GrvtOrderIdTranslator {
  const toVenueIds = new Map<string, string>()
  const fromVenueIds = new Map<string, string>()
  let sequence = 0n
  const toVenue = (clientOrderId: string): string => {
    const known = toVenueIds.get(clientOrderId)
    if (known !== undefined) return known
    // Core ids always contain an `x`; an all-digit id is a venue id the core adopted: pass it through.
    if (/^[1-9]\d*$/.test(clientOrderId)) return clientOrderId
    sequence += 1n
    const venueId = createGrvtClientOrderId(sequence)
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
