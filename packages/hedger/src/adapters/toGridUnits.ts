import type { ResolvedVenueConfig } from '../config/parseHedgerConfig.js'
import { VenueDataError } from '../errors/adapter.js'
import { parseGridUnits } from '../venue/decimalTicks.js'

/** Exact price ticks of a venue decimal string. @throws VenueDataError when off the tick grid. */
export function toPriceTicks(venue: ResolvedVenueConfig, field: string, price: string): number {
  const ticks = parseGridUnits(price, venue.tick)
  if (ticks === null)
    throw new VenueDataError({ venue: venue.venue, field, value: price, rule: `a multiple of ${venue.tickSize}` })
  return ticks
}

/** Exact size lots of a venue decimal string (signed). @throws VenueDataError when off the step grid. */
export function toSizeLots(venue: ResolvedVenueConfig, field: string, size: string): number {
  const lots = parseGridUnits(size, venue.step)
  if (lots === null)
    throw new VenueDataError({ venue: venue.venue, field, value: size, rule: `a multiple of ${venue.stepSize}` })
  return lots
}
