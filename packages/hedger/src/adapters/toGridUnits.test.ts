import { describe, expect, it } from 'vitest'
import { parseHedgerConfig } from '../config/parseHedgerConfig.js'
import { VenueDataError } from '../errors/adapter.js'
import { toPriceTicks, toSizeLots } from './toGridUnits.js'

const [linear, inverse] = parseHedgerConfig({
  venues: [
    { venue: 'deribit-linear', tickSize: '0.05', stepSize: '0.001' },
    {
      venue: 'deribit-inverse',
      tickSize: '0.05',
      stepSize: '0.001',
      contract: { type: 'inverse', contractSizeQuote: '1' },
    },
  ],
}).venues
if (!linear || !inverse) throw new Error('no venues')

describe('toSizeLots: exact on linear venues, nearest lot on inverse ones', () => {
  it('linear: off-grid is a VenueDataError', () => {
    expect(toSizeLots(linear, 'sizeBase', '0.300')).toBe(300)
    expect(() => toSizeLots(linear, 'sizeBase', '0.299819363116')).toThrow(VenueDataError)
  })
  it('inverse: a USD / price size (12 decimals) rounds to the nearest lot, ties away from zero', () => {
    // 805 USD / 2684.95 = 0.299819363116 ETH = 299.819… lots → 300
    expect(toSizeLots(inverse, 'sizeBase', '0.299819363116')).toBe(300)
    // −600 USD / 3000.05 = −0.199996666722 ETH → −200 lots
    expect(toSizeLots(inverse, 'sizeBase', '-0.199996666722')).toBe(-200)
    expect(toSizeLots(inverse, 'sizeBase', '0.0005')).toBe(1)
    expect(toSizeLots(inverse, 'sizeBase', '-0.0005')).toBe(-1)
    expect(toSizeLots(inverse, 'sizeBase', '0.3')).toBe(300)
  })
  it('inverse: a non-decimal is still a VenueDataError; prices stay exact', () => {
    expect(() => toSizeLots(inverse, 'sizeBase', 'NaN')).toThrow(VenueDataError)
    expect(() => toPriceTicks(inverse, 'price', '2684.96')).toThrow(VenueDataError)
    expect(toPriceTicks(inverse, 'price', '2684.95')).toBe(53_699)
  })
})
