import type { DeribitConnector } from '@alp/exchange-connectors'
import { describe, expect, it } from 'vitest'
import { VenueBindingError } from '../errors/adapter.js'
import { bindVenueConnector } from './bindVenueConnector.js'

// The Deribit and GRVT bindings are exercised end to end against the emulators in test/liveHedgeVenues.test.ts.
describe('bindVenueConnector', () => {
  it('refuses a Deribit connector built without credentials (it cannot trade), naming the venue', () => {
    const readOnly = { marketData: {}, execution: undefined, userData: undefined } as unknown as DeribitConnector
    const bind = () =>
      bindVenueConnector(
        { kind: 'deribit', venue: 'deribit-main', symbol: 'ETH_USDC-PERPETUAL', currency: 'USDC', connector: readOnly },
        () => {},
      )
    expect(bind).toThrow(VenueBindingError)
    expect(bind).toThrow('Venue deribit-main (deribit) cannot be bound to the live runner: no credentials.')
  })
})
