import { describe, expect, it } from 'vitest'
import { DecimalGrid } from '../common/decimal.js'
import { MalformedFrameError } from '../errors/transport.js'
import { GrvtDepthBook } from './depthBook.js'
import { parseGrvtBook } from './schemas/book.js'
import fixture from './test-data/ws_book_d.json' with { type: 'json' }

const newBook = () =>
  new GrvtDepthBook({
    instrument: 'BTC_USDT_Perp',
    priceGrid: new DecimalGrid('0.01'),
    sizeGrid: new DecimalGrid('0.001'),
  })

const snapshot = {
  ...fixture.params,
  sequence_number: '0',
  prev_sequence_number: undefined,
  feed: {
    ...fixture.params.feed,
    bids: [
      { price: '65038.01', size: '0.2', num_orders: 1 },
      { price: '65030', size: '3', num_orders: 2 },
    ],
    asks: [{ price: '65040', size: '0.1', num_orders: 1 }],
  },
}

describe('GrvtDepthBook', () => {
  it('snapshot then the delta: size "0" removes, others replace', () => {
    const book = newBook()
    expect(book.onMessage(parseGrvtBook(snapshot))).toBe('synced')
    expect(book.onMessage(parseGrvtBook(fixture.params))).toBe('applied')
    // bids: 65038.01 removed; 65037.50 → 6503750 ticks, 1.25 → 1250 lots; 65030 kept (3 → 3000 lots)
    // asks: 65040 → 6504000 ticks replaced by 0.5 → 500 lots
    expect(book.view()).toEqual({
      venue: 'grvt',
      symbol: 'BTC_USDT_Perp',
      updateId: 1,
      tsExchangeMs: 1697788800000,
      bids: [
        [6503750, 1250],
        [6503000, 3000],
      ],
      asks: [[6504000, 500]],
    })
  })

  it('a sequence gap resyncs; messages are ignored until a new snapshot is expected', () => {
    const book = newBook()
    book.onMessage(parseGrvtBook(snapshot))
    expect(book.onMessage(parseGrvtBook({ ...fixture.params, sequence_number: '2', prev_sequence_number: '1' }))).toBe(
      'resync',
    )
    expect(book.onMessage(parseGrvtBook({ ...fixture.params, sequence_number: '3' }))).toBe('ignored')
    book.expectSnapshot()
    expect(book.onMessage(parseGrvtBook(snapshot))).toBe('synced')
  })

  it('duplicates are stale', () => {
    const book = newBook()
    book.onMessage(parseGrvtBook(snapshot))
    book.onMessage(parseGrvtBook(fixture.params))
    expect(book.onMessage(parseGrvtBook(fixture.params))).toBe('stale')
    expect(book.sequenceNumber).toBe(1n)
  })

  it('malformed frames are rejected with the field named', () => {
    expect(() => parseGrvtBook({ ...fixture.params, sequence_number: '-1' })).toThrow(/sequence_number/)
    expect(() =>
      parseGrvtBook({
        ...fixture.params,
        feed: { ...fixture.params.feed, bids: [{ price: 1, size: '1', num_orders: 1 }] },
      }),
    ).toThrow(MalformedFrameError)
  })
})
