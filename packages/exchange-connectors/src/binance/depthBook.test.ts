import { describe, expect, it } from 'vitest'
import { DecimalGrid } from '../common/decimal.js'
import { BinanceDepthBook } from './depthBook.js'
import type { DepthUpdateWire } from './schemas/depth.js'

const grids = { priceGrid: new DecimalGrid('0.01'), sizeGrid: new DecimalGrid('0.001') }
const ev = (U: number, u: number, pu: number | undefined, b: [string, string][] = [], a: [string, string][] = []) =>
  ({ e: 'depthUpdate', E: u, s: 'ETHUSDT', U, u, pu, b, a }) as DepthUpdateWire
const snapshot = { lastUpdateId: 100, bids: [['10.00', '1.000']], asks: [['10.05', '2.000']] } as {
  lastUpdateId: number
  bids: [string, string][]
  asks: [string, string][]
}

describe('BinanceDepthBook (USDⓈ-M rule)', () => {
  it('buffers, drops u < lastUpdateId, applies the straddling event, then chains on pu', () => {
    const book = new BinanceDepthBook({ venue: 'binance-usdm', symbol: 'ETHUSDT', rule: 'usdm', ...grids })
    expect(book.onDepthUpdate(ev(90, 95, 89, [['9.99', '5.000']]))).toBe('buffered') // u=95 < 100: dropped
    expect(book.onDepthUpdate(ev(96, 104, 95, [['10.01', '0.500']]))).toBe('buffered') // U ≤ 100 ≤ u: first
    expect(book.onSnapshot(snapshot)).toBe('synced')
    expect(book.book.bidLotsAt(999)).toBe(0) // 9.99 was in the dropped event
    expect(book.bbo()?.bidPrice).toBe('10.01')
    expect(book.updateId).toBe(104)
    expect(book.onDepthUpdate(ev(105, 110, 104, [['10.01', '0']], [['10.04', '1.250']]))).toBe('applied')
    expect(book.bbo()).toMatchObject({ bidPrice: '10.00', askPrice: '10.04', askSizeBase: '1.250', updateId: 110 })
    expect(book.resyncCount).toBe(0)
  })

  it('pu ≠ previous u → resync: book cleared, event kept, counter incremented, rebuilt from the next snapshot', () => {
    const book = new BinanceDepthBook({ venue: 'binance-usdm', symbol: 'ETHUSDT', rule: 'usdm', ...grids })
    book.onSnapshot(snapshot)
    expect(book.onDepthUpdate(ev(99, 101, 98))).toBe('applied')
    expect(book.onDepthUpdate(ev(99, 101, 98))).toBe('stale') // a duplicate is ignored, not a gap
    expect(book.onDepthUpdate(ev(120, 125, 115))).toBe('resync') // lost 102..115
    expect(book.isSynced).toBe(false)
    expect(book.resyncCount).toBe(1)
    expect(book.lastResyncReason).toContain('pu=115')
    expect(book.onDepthUpdate(ev(126, 130, 125, [['10.02', '3.000']]))).toBe('buffered')
    expect(book.onSnapshot({ lastUpdateId: 124, bids: [['10.00', '1.000']], asks: [['10.05', '2.000']] })).toBe(
      'synced',
    )
    expect(book.bbo()).toMatchObject({ bidPrice: '10.02', updateId: 130 })
  })

  it('a snapshot older than the buffered stream asks for another snapshot', () => {
    const book = new BinanceDepthBook({ venue: 'binance-usdm', symbol: 'ETHUSDT', rule: 'usdm', ...grids })
    book.onDepthUpdate(ev(150, 160, 149))
    expect(book.onSnapshot(snapshot)).toBe('resync') // 100 < U=150
    expect(book.onSnapshot({ ...snapshot, lastUpdateId: 155 })).toBe('synced')
  })

  it('a crossed book or a malformed level forces a resync', () => {
    const book = new BinanceDepthBook({ venue: 'binance-usdm', symbol: 'ETHUSDT', rule: 'usdm', ...grids })
    book.onSnapshot(snapshot)
    expect(book.onDepthUpdate(ev(100, 101, 99, [['10.06', '1.000']]))).toBe('resync')
    expect(book.lastResyncReason).toContain('crossed')
    book.onSnapshot({ ...snapshot, lastUpdateId: 101 })
    expect(book.onDepthUpdate(ev(102, 103, 101, [['10.001', '1.000']]))).toBe('resync') // off the 0.01 grid
    expect(book.onDepthUpdate(ev(104, 105, 103, [['x', '1']]))).toBe('buffered')
    expect(book.resyncCount).toBe(2)
  })
})

describe('BinanceDepthBook (spot rule)', () => {
  it('drops u ≤ lastUpdateId, first event straddles lastUpdateId+1, then U = previous u + 1', () => {
    const book = new BinanceDepthBook({ venue: 'binance-spot', symbol: 'ETHUSDT', rule: 'spot', ...grids })
    book.onDepthUpdate(ev(95, 100, undefined)) // u = 100 ≤ 100: dropped
    book.onDepthUpdate(ev(101, 103, undefined, [['10.02', '1.000']]))
    expect(book.onSnapshot(snapshot)).toBe('synced')
    expect(book.onDepthUpdate(ev(104, 104, undefined, [], [['10.03', '1.000']]))).toBe('applied')
    expect(book.bbo()).toMatchObject({ bidPrice: '10.02', askPrice: '10.03' })
    expect(book.onDepthUpdate(ev(106, 107, undefined))).toBe('resync') // 105 missing
  })
})
