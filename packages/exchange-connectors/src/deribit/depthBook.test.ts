import { describe, expect, it } from 'vitest'
import { DecimalGrid } from '../common/decimal.js'
import { MalformedFrameError } from '../errors/transport.js'
import { DeribitDepthBook } from './depthBook.js'
import { parseDeribitBook } from './schemas/book.js'
import fixture from './test-data/ws_book_change.json' with { type: 'json' }

// BTC_USDC-PERPETUAL grid on Deribit: tick 1 (USDC), amount step 0.001 BTC.
const newBook = () =>
  new DeribitDepthBook({
    instrumentName: 'BTC_USDC-PERPETUAL',
    priceGrid: new DecimalGrid('1'),
    sizeGrid: new DecimalGrid('0.001'),
  })

const snapshot = {
  type: 'snapshot',
  timestamp: 1655395168000,
  instrument_name: 'BTC_USDC-PERPETUAL',
  change_id: 1550724481,
  bids: [
    ['new', 20975, 0.5],
    ['new', 20970, 1.2],
  ],
  asks: [['new', 20980, 0.25]],
}

describe('DeribitDepthBook', () => {
  it('applies the captured change on top of its snapshot (prev_change_id chain)', () => {
    const book = newBook()
    expect(book.onMessage(parseDeribitBook(snapshot))).toBe('synced')
    expect(book.onMessage(parseDeribitBook(fixture.params.data))).toBe('applied')
    // 20977 new 0.109 → 109 lots; 20975 deleted; 20970 kept (1.2 → 1200 lots); ask 20980 0.25 → 250 lots
    expect(book.view()).toEqual({
      venue: 'deribit',
      symbol: 'BTC_USDC-PERPETUAL',
      updateId: 1550724483,
      tsExchangeMs: 1655395168086,
      bids: [
        [20977, 109],
        [20970, 1200],
      ],
      asks: [[20980, 250]],
    })
  })

  it('a broken chain asks for a resync and ignores changes until the next snapshot', () => {
    const book = newBook()
    book.onMessage(parseDeribitBook(snapshot))
    const gap = { ...fixture.params.data, prev_change_id: 1550724480 }
    expect(book.onMessage(parseDeribitBook(gap))).toBe('resync')
    expect(book.isSynced).toBe(false)
    expect(book.resyncCount).toBe(1)
    expect(
      book.onMessage(parseDeribitBook({ ...fixture.params.data, change_id: 1550724490, prev_change_id: 1550724483 })),
    ).toBe('ignored')
    expect(book.onMessage(parseDeribitBook(snapshot))).toBe('synced')
  })

  it('a duplicate change is stale and changes nothing', () => {
    const book = newBook()
    book.onMessage(parseDeribitBook(snapshot))
    book.onMessage(parseDeribitBook(fixture.params.data))
    const before = book.view()
    expect(book.onMessage(parseDeribitBook(fixture.params.data))).toBe('stale')
    expect(book.view()).toEqual(before)
  })

  it('an amount off the step grid or a crossed book resyncs', () => {
    const book = newBook()
    book.onMessage(parseDeribitBook(snapshot))
    const offGrid = { ...fixture.params.data, bids: [['new', 20977, 0.0001]] }
    expect(book.onMessage(parseDeribitBook(offGrid))).toBe('resync')
    book.onMessage(parseDeribitBook(snapshot))
    const crossed = { ...fixture.params.data, bids: [['new', 20990, 1]] }
    expect(book.onMessage(parseDeribitBook(crossed))).toBe('resync')
  })

  it('rejects malformed messages with the field named', () => {
    expect(() => parseDeribitBook({ ...snapshot, bids: [['add', 1, 1]] })).toThrow(MalformedFrameError)
    expect(() => parseDeribitBook({ ...snapshot, type: 'change' })).toThrow(/prev_change_id/)
    expect(() => parseDeribitBook({ ...snapshot, change_id: '5' })).toThrow(/change_id/)
    expect(() => parseDeribitBook(null)).toThrow(MalformedFrameError)
  })
})

describe('DeribitDepthBook number → grid conversion', () => {
  it('equals the exact decimal path on random grid values and rejects off-grid values', async () => {
    const fc = (await import('fast-check')).default
    const grids = [
      ['0.5', '0.001'],
      ['0.05', '0.1'],
      ['0.0001', '1'],
      ['2.5', '10'],
    ] as const
    for (const [tick, step] of grids) {
      const priceGrid = new DecimalGrid(tick)
      const sizeGrid = new DecimalGrid(step)
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 50_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (t, l) => {
          const book = new DeribitDepthBook({ instrumentName: 'X', priceGrid, sizeGrid })
          // the wire number is the decimal t·tick written out exactly, then read as JSON
          const price = JSON.parse(priceGrid.format(BigInt(t))) as number
          const amount = JSON.parse(sizeGrid.format(BigInt(l))) as number
          const outcome = book.onMessage(
            parseDeribitBook({
              type: 'snapshot',
              timestamp: 1,
              instrument_name: 'X',
              change_id: 1,
              bids: [['new', price, amount]],
              asks: [],
            }),
          )
          expect(outcome).toBe('synced')
          expect(book.view().bids).toEqual([[t, l]])
        }),
        { numRuns: 300 },
      )
    }
    const book = new DeribitDepthBook({
      instrumentName: 'X',
      priceGrid: new DecimalGrid('0.5'),
      sizeGrid: new DecimalGrid('0.001'),
    })
    const off = (price: number) =>
      book.onMessage(
        parseDeribitBook({
          type: 'snapshot',
          timestamp: 1,
          instrument_name: 'X',
          change_id: 1,
          bids: [['new', price, 1]],
          asks: [],
        }),
      )
    expect(off(60000.25)).toBe('resync')
    expect(off(60000.5000001)).toBe('resync')
    expect(off(60000.5)).toBe('synced')
  })
})
