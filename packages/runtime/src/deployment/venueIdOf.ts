import type { ResolvedVenueConfig } from '@alp/hedger'
import { RuntimeError } from '../errors/base.js'

/**
 * The hedger venue id (`[HEDGER.VENUE.<id>]`) of an exchange's roles: the trader's venue named `binance-usdm`
 * (`EXCHANGE_NAME = binance`, any `ASSET_TYPE` but SPOT), `binance-spot` (SPOT), `deribit`, `grvt`; else the one
 * venue whose id starts with the exchange name.
 * @throws RuntimeError (`VENUE_NOT_CONFIGURED`) when the trader has no such venue, or several match.
 */
export function venueIdOf(exchange: string, assetType: string, venues: readonly ResolvedVenueConfig[]): string {
  const preferred = exchange === 'binance' ? (assetType === 'SPOT' ? 'binance-spot' : 'binance-usdm') : exchange
  if (venues.some((venue) => venue.venue === preferred)) return preferred
  const matches = venues.filter((venue) => venue.venue.startsWith(exchange))
  if (matches.length === 1) return (matches[0] as ResolvedVenueConfig).venue
  throw new RuntimeError(
    `${exchange}: the trader has ${matches.length === 0 ? 'no' : 'several'} venue${matches.length === 1 ? '' : 's'} for it.`,
    {
      code: 'VENUE_NOT_CONFIGURED',
      metaMessages: [
        `Trader venues: ${venues.map((venue) => venue.venue).join(', ') || 'none'}.`,
        `Next: add [trader.HEDGER.VENUE.${preferred}] with TICK_SIZE and STEP_SIZE.`,
      ],
    },
  )
}
