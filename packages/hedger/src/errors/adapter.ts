import { HedgerError } from './base.js'

export type VenueDataErrorType = VenueDataError & { name: 'VenueDataError' }

/** A venue value that does not fit the configured instrument grid (wrong tick/step config, or a connector bug). */
export class VenueDataError extends HedgerError {
  override name = 'VenueDataError'
  constructor({ venue, field, value, rule }: { venue: string; field: string; value: unknown; rule: string }) {
    super(`Venue data from ${venue} rejected: ${field} = ${JSON.stringify(value)} must be ${rule}.`, {
      code: 'VENUE_DATA',
      metaMessages: [`Next: check that venues[].tickSize / stepSize for ${venue} match the venue's instrument.`],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/hedger.md#adapters',
    })
  }
}

export type CommandFailedErrorType = CommandFailedError & { name: 'CommandFailedError' }

/** A command the live runner could not execute; `cause` is the connector's error. */
export class CommandFailedError extends HedgerError {
  override name = 'CommandFailedError'
  readonly command: string
  constructor({
    venue,
    command,
    clientOrderId,
    cause,
  }: { venue: string; command: string; clientOrderId?: string; cause: unknown }) {
    super(`${command} on ${venue}${clientOrderId ? ` for ${clientOrderId}` : ''} failed.`, {
      code: 'COMMAND_FAILED',
      cause,
      metaMessages: [
        'Next: the runner reconciles the order from the venue; check the cause for rate limits or rejections.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/hedger.md#adapters',
    })
    this.command = command
  }
}

export type VenueBindingErrorType = VenueBindingError & { name: 'VenueBindingError' }

/** A connector that cannot back a hedger venue (e.g. built without credentials, so it cannot trade). */
export class VenueBindingError extends HedgerError {
  override name = 'VenueBindingError'
  constructor({ venue, kind, reason }: { venue: string; kind: string; reason: string }) {
    super(`Venue ${venue} (${kind}) cannot be bound to the live runner: ${reason}.`, {
      code: 'VENUE_BINDING',
      metaMessages: ['Next: build the connector with trading credentials for every venue the hedger quotes on.'],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/hedger.md#adapters',
    })
  }
}

export type StopNotConfirmedErrorType = StopNotConfirmedError & { name: 'StopNotConfirmedError' }

/** `stop()` gave up waiting: some venues did not confirm that none of our orders is open. */
export class StopNotConfirmedError extends HedgerError {
  override name = 'StopNotConfirmedError'
  readonly venues: readonly { readonly venue: string; readonly openOrders: number }[]
  constructor({ venues, timeoutMs }: { venues: readonly { venue: string; openOrders: number }[]; timeoutMs: number }) {
    super(
      `Stop not confirmed after ${timeoutMs} ms: ${venues.map((venue) => `${venue.venue} (${venue.openOrders} orders may be open)`).join(', ')}.`,
      {
        code: 'STOP_NOT_CONFIRMED',
        metaMessages: [
          'The venues did not confirm the cancels (unreachable, or our cancels failed); their dead-man switches are no longer refreshed.',
          'Next: check the venues’ open orders yourself and cancel what is left.',
        ],
        docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/hedger.md#adapters',
      },
    )
    this.venues = venues
  }
}
