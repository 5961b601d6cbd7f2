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
  it('an inverse Deribit instrument needs contractSizeQuote; a linear one must not have it', () => {
    const connector = { marketData: {}, execution: {}, userData: {} } as unknown as DeribitConnector
    const spec = { kind: 'deribit', venue: 'deribit', currency: 'ETH', connector } as const
    expect(() => bindVenueConnector({ ...spec, symbol: 'ETH-PERPETUAL' }, () => {})).toThrow(
      /ETH-PERPETUAL is an inverse instrument \(USD contracts\): pass contractSizeQuote/,
    )
    expect(() =>
      bindVenueConnector({ ...spec, symbol: 'ETH_USDC-PERPETUAL', contractSizeQuote: '1' }, () => {}),
    ).toThrow(/ETH_USDC-PERPETUAL is linear/)
    expect(bindVenueConnector({ ...spec, symbol: 'ETH-PERPETUAL', contractSizeQuote: '1' }, () => {}).venue).toBe(
      'deribit',
    )
  })
})
