import type { LiveVenueBinding, ResolvedVenueConfig } from '@alp/hedger'
import type { Endpoints } from '../transport/portMap.js'

/**
 * One venue as the per-venue roles see it: the hedger venue id and its grid (ticks, lots), the connector's parts bound
 * by `bindVenueConnector` of `@alp/hedger` (the same binding the live runner takes), and the bus endpoints of its
 * venue slot.
 */
export type VenueLink = {
  /** The hedger venue id (`[HEDGER.VENUE.<id>]`, e.g. `binance-usdm`). */
  readonly venue: string
  readonly symbol: string
  /** The trader's resolved config of this venue: converts the connector's decimals to ticks and lots. */
  readonly config: ResolvedVenueConfig
  readonly binding: LiveVenueBinding
  /** The links of this venue's slot (`resolveEndpoints({ venueSlot })`). */
  readonly endpoints: Endpoints
}

/** The wall clock of the roles, UNIX nanoseconds (the hedger core reads time only from the events it gets). */
export type RoleClock = { nowNs(): bigint }

/** A running role: `stop()` detaches it and closes what it opened (never the shared connector or bus). */
export type RoleHandle = {
  readonly role: string
  readonly instance: string
  stop(): Promise<void>
}

/** Where a role reports failures it cannot act on (a refused command, a malformed venue message): never swallowed. */
export type RoleErrorSink = (error: unknown, context: { readonly role: string; readonly venue?: string }) => void
