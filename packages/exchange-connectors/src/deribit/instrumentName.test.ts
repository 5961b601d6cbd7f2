import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidDeribitInstrumentNameError } from '../errors/deribit.js'
import {
  type DeribitInstrumentName,
  formatDeribitInstrumentName,
  getDeribitAmountUnit,
  parseDeribitInstrumentName,
} from './instrumentName.js'

describe('Deribit instrument names', () => {
  // Names as Deribit lists them (reference §2.8 and the Deribit book page).
  it.each<[string, DeribitInstrumentName]>([
    ['BTC-PERPETUAL', { kind: 'perpetual', base: 'BTC', quote: undefined }],
    ['BTC_USDC-PERPETUAL', { kind: 'perpetual', base: 'BTC', quote: 'USDC' }],
    ['BTC-27DEC24', { kind: 'future', base: 'BTC', quote: undefined, expiry: { year: 2024, month: 12, day: 27 } }],
    ['ETH-5JAN24', { kind: 'future', base: 'ETH', quote: undefined, expiry: { year: 2024, month: 1, day: 5 } }],
    [
      'BTC-27DEC24-60000-C',
      {
        kind: 'option',
        base: 'BTC',
        quote: undefined,
        expiry: { year: 2024, month: 12, day: 27 },
        strike: '60000',
        optionType: 'call',
      },
    ],
    [
      'XRP_USDC-27DEC24-0d625-P',
      {
        kind: 'option',
        base: 'XRP',
        quote: 'USDC',
        expiry: { year: 2024, month: 12, day: 27 },
        strike: '0.625',
        optionType: 'put',
      },
    ],
    ['BTC_USDC', { kind: 'spot', base: 'BTC', quote: 'USDC' }],
  ])('%s', (name, parsed) => {
    expect(parseDeribitInstrumentName(name)).toEqual(parsed)
    expect(formatDeribitInstrumentName(parsed)).toBe(name)
  })

  it.each([
    'BTC',
    'BTC-27DEX24',
    'BTC-30FEB24',
    'BTC-29FEB23',
    'BTC-027DEC24',
    'BTC-27DEC24-60000-X',
    'btc-PERPETUAL',
    'BTC-27DEC24-060000-C',
    'A_B_C-PERPETUAL',
    'BTC-1-2-3-4',
  ])('rejects %s', (name) => {
    expect(() => parseDeribitInstrumentName(name)).toThrow(InvalidDeribitInstrumentNameError)
  })

  it('29FEB24 exists (leap year)', () => {
    expect(parseDeribitInstrumentName('BTC-29FEB24')).toMatchObject({ expiry: { year: 2024, month: 2, day: 29 } })
  })

  it('amount units: USD for inverse perps/futures, coin for options and linear', () => {
    expect(getDeribitAmountUnit(parseDeribitInstrumentName('BTC-PERPETUAL'))).toBe('usd')
    expect(getDeribitAmountUnit(parseDeribitInstrumentName('BTC-27DEC24'))).toBe('usd')
    expect(getDeribitAmountUnit(parseDeribitInstrumentName('BTC-27DEC24-60000-C'))).toBe('base')
    expect(getDeribitAmountUnit(parseDeribitInstrumentName('BTC_USDC-PERPETUAL'))).toBe('base')
  })

  it('format ∘ parse round-trips every generated instrument', () => {
    const asset = fc.stringMatching(/^[A-Z][A-Z0-9]{1,5}$/)
    const expiry = fc.record({
      year: fc.integer({ min: 2000, max: 2099 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
    })
    const strike = fc.oneof(
      fc.bigInt({ min: 1n, max: 10n ** 7n }).map(String),
      fc.tuple(fc.bigInt({ min: 0n, max: 1000n }), fc.stringMatching(/^\d{0,3}[1-9]$/)).map(([i, f]) => `${i}.${f}`),
    )
    const quote = fc.option(asset, { nil: undefined })
    const instrument: fc.Arbitrary<DeribitInstrumentName> = fc.oneof(
      fc.record({ kind: fc.constant('perpetual' as const), base: asset, quote }),
      fc.record({ kind: fc.constant('future' as const), base: asset, quote, expiry }),
      fc.record({
        kind: fc.constant('option' as const),
        base: asset,
        quote,
        expiry,
        strike,
        optionType: fc.constantFrom('call' as const, 'put' as const),
      }),
    )
    fc.assert(
      fc.property(instrument, (parsed) => {
        const name = formatDeribitInstrumentName(parsed)
        expect(parseDeribitInstrumentName(name)).toEqual(parsed)
        expect(formatDeribitInstrumentName(parseDeribitInstrumentName(name))).toBe(name)
      }),
    )
  })
})
