import type { ResolvedVenueConfig } from '../config/parseHedgerConfig.js'
import { VenueDataError } from '../errors/adapter.js'
import { parseGridUnits } from '../venue/decimalTicks.js'
import { roundGridUnits } from '../venue/roundGridUnits.js'

/** Exact price ticks of a venue decimal string. @throws VenueDataError when off the tick grid. */
export function toPriceTicks(venue: ResolvedVenueConfig, field: string, price: string): number {
  const ticks = parseGridUnits(price, venue.tick)
  if (ticks === null)
    throw new VenueDataError({ venue: venue.venue, field, value: price, rule: `a multiple of ${venue.tickSize}` })
  return ticks
}

/**
 * Size lots of a venue base-size decimal string (signed).
 *
 * Linear venues: exact; a size off the step grid is a VenueDataError (a wrong `stepSize` or a connector bug).
 * Inverse venues (`contract.type: 'inverse'`): the venue counts USD contracts and the connector reports base sizes as
 * USD / price, which are almost never on the base grid. They are rounded to the NEAREST lot, a tie away from zero
 * (`roundGridUnits`): each message is off by at most half a lot, never biased in one direction, and sizes already on
 * the grid are unchanged. A fill's error moves the core's position by at most half a lot until the next position
 * report, which replaces it (see docs/hedger.md, "Inverse instruments").
 * @throws VenueDataError when the text is not a decimal (or, linear only, off the step grid).
 */
export function toSizeLots(venue: ResolvedVenueConfig, field: string, size: string): number {
  const inverse = venue.contract.type === 'inverse'
  const lots = inverse ? roundGridUnits(size, venue.step) : parseGridUnits(size, venue.step)
  if (lots === null)
    throw new VenueDataError({
      venue: venue.venue,
      field,
      value: size,
      rule: inverse ? 'a decimal base size' : `a multiple of ${venue.stepSize}`,
    })
  return lots
}
