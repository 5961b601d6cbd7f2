import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidGrvtInstrumentNameError } from '../errors/grvt.js'
import { formatGrvtInstrumentName, type GrvtInstrumentName, parseGrvtInstrumentName } from './instrumentName.js'

describe('GRVT instrument names', () => {
  // Names from the GRVT API docs (reference §3.5).
  it.each<[string, GrvtInstrumentName]>([
    ['BTC_USDT_Perp', { kind: 'perpetual', base: 'BTC', quote: 'USDT' }],
    [
      'BTC_USDT_Fut_20Oct23',
      { kind: 'future', base: 'BTC', quote: 'USDT', expiry: { year: 2023, month: 10, day: 20 } },
    ],
    [
      'ETH_USDT_Call_20Oct23_2800',
      {
        kind: 'option',
        base: 'ETH',
        quote: 'USDT',
        expiry: { year: 2023, month: 10, day: 20 },
        strike: '2800',
        optionType: 'call',
      },
    ],
    [
      'ETH_USDT_Put_20Oct23_2800',
      {
        kind: 'option',
        base: 'ETH',
        quote: 'USDT',
        expiry: { year: 2023, month: 10, day: 20 },
        strike: '2800',
        optionType: 'put',
      },
    ],
  ])('%s', (name, parsed) => {
    expect(parseGrvtInstrumentName(name)).toEqual(parsed)
    expect(formatGrvtInstrumentName(parsed)).toBe(name)
  })

  it.each([
    'BTC_USDT',
    'BTC_USDT_perp',
    'BTC_USDT_Fut_31Nov23',
    'BTC_USDT_Fut_20OCT23',
    'ETH_USDT_Call_20Oct23',
    'btc_USDT_Perp',
    'BTC-USDT_Perp',
  ])('rejects %s', (name) => {
    expect(() => parseGrvtInstrumentName(name)).toThrow(InvalidGrvtInstrumentNameError)
  })

  it('format ∘ parse round-trips', () => {
    const asset = fc.stringMatching(/^[A-Z][A-Z0-9]{1,5}$/)
    const expiry = fc.record({
      year: fc.integer({ min: 2000, max: 2099 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
    })
    const strike = fc.oneof(
      fc.bigInt({ min: 1n, max: 10n ** 7n }).map(String),
      fc.stringMatching(/^[1-9]\d{0,3}\.\d{0,2}[1-9]$/),
    )
    const instrument: fc.Arbitrary<GrvtInstrumentName> = fc.oneof(
      fc.record({ kind: fc.constant('perpetual' as const), base: asset, quote: asset }),
      fc.record({ kind: fc.constant('future' as const), base: asset, quote: asset, expiry }),
      fc.record({
        kind: fc.constant('option' as const),
        base: asset,
        quote: asset,
        expiry,
        strike,
        optionType: fc.constantFrom('call' as const, 'put' as const),
      }),
    )
    fc.assert(
      fc.property(instrument, (parsed) => {
        expect(parseGrvtInstrumentName(formatGrvtInstrumentName(parsed))).toEqual(parsed)
      }),
    )
  })
})
