import type { VenueState } from './types.js'

/** A venue position as the core knows it: its best estimate and the range the venue's true position lies in, lots. */
export type PositionBounds = {
  /** Best estimate: reported position + fills since, + fills our order updates report but no fill event brought yet. */
  readonly lots: number
  /** Smallest possible position (if those unbooked sells are not in it yet, they will be). */
  readonly lowLots: number
  /** Largest possible position. */
  readonly highLots: number
}

/**
 * The position with the fills that order updates already report but that neither a fill event nor a position report
 * brought into `positionLots` yet ("unbooked"). Each unbooked amount may or may not be inside the last position report
 * (an update newer than the report says nothing about when its fills happened), so the true position lies in
 * [lots − unbooked sells, lots + unbooked buys] around the reported one: the limits use the side of the range that
 * could breach them. Fills stamped just after the last report, which the estimate takes as held by it
 * (`ambiguousFills`), widen the range the same way.
 */
export function positionBounds(venue: VenueState): PositionBounds {
  let buys = 0
  let sells = 0
  const reportMs = venue.reportVenueTimeMs
  for (const order of venue.orders.values()) {
    const unbooked = order.filledByUpdatesLots - order.filledByFillsLots
    if (unbooked <= 0) continue
    // Updates at or before the last report: their fills are inside it.
    if (reportMs !== null && order.lastVenueTimeMs !== null && order.lastVenueTimeMs <= reportMs) continue
    if (order.side === 'buy') buys += unbooked
    else sells += unbooked
  }
  // Fills stamped just after the last report, taken as held by it (not in positionLots): the venue's position is short
  // of them if they are not (see POSITION_STAMP_SKEW_MS in step.ts).
  let ambiguousBuys = 0
  let ambiguousSells = 0
  for (const fill of venue.ambiguousFills) {
    if (fill.lots > 0) ambiguousBuys += fill.lots
    else ambiguousSells -= fill.lots
  }
  const lots = venue.positionLots
  return {
    lots: lots + buys - sells,
    lowLots: lots - sells - ambiguousSells,
    highLots: lots + buys + ambiguousBuys,
  }
}
