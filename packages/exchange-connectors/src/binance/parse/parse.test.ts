import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { catchError } from '../../../test/src/catchError.js'
import { DecimalGrid } from '../../common/decimal.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { BinanceDepthBook } from '../depthBook.js'
import { parseAccountUpdate } from './parseAccountUpdate.js'
import { parseBookTicker } from './parseBookTicker.js'
import { parseDepthSnapshot, parseDepthUpdate } from './parseDepthUpdate.js'
import { parseOrderUpdate } from './parseOrderUpdate.js'
import { parseTrade } from './parseTrade.js'

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../test-data', name), 'utf8'))
const data = (name: string) => (fixture(name) as { data: unknown }).data

// Expected values are read off the fixture files by eye (see test-data/README.md for their sources).
describe('Binance parsers on captured payloads', () => {
  it('depthUpdate (USDⓈ-M capture): ids and levels', () => {
    const e = parseDepthUpdate(data('ws_depth_update.json'), 'binance-usdm')
    expect([e.U, e.u, e.pu, e.s]).toEqual([5123107832349, 5123107837896, 5123107832175, 'ETHUSDT'])
    expect(e.b[0]).toEqual(['200.00', '10.229'])
    expect(e.a[0]).toEqual(['2681.63', '73.077'])
  })

  it('REST depth snapshot + spot depth (no pu)', () => {
    const s = parseDepthSnapshot(fixture('http_get_depth.json'), 'binance-usdm')
    expect(s.lastUpdateId).toBe(5123107856276)
    expect(s.bids[0]).toEqual(['2681.62', '16.969'])
    const spot = parseDepthUpdate(data('ws_spot_depth_update.json'), 'binance-spot')
    expect([spot.U, spot.u, spot.pu]).toEqual([35346513499, 35346513505, undefined])
  })

  it('snapshot levels become integer ticks/lots in the book', () => {
    const book = new BinanceDepthBook({
      venue: 'binance-usdm',
      symbol: 'ETHUSDT',
      rule: 'usdm',
      priceGrid: new DecimalGrid('0.01'),
      sizeGrid: new DecimalGrid('0.001'),
    })
    book.onSnapshot(parseDepthSnapshot(fixture('http_get_depth.json'), 'binance-usdm'))
    expect(book.book.bids(2)).toEqual([
      [268162, 16969],
      [268160, 15],
    ])
    expect(book.bbo()).toMatchObject({ bidPrice: '2681.62', bidSizeBase: '16.969' })
  })

  it('bookTicker (futures and spot)', () => {
    expect(parseBookTicker(data('ws_book_ticker.json'), 'binance-usdm')).toMatchObject({
      symbol: 'ETHUSDT',
      bidPrice: '2681.62',
      bidSizeBase: '1.165',
      askPrice: '2681.63',
      askSizeBase: '73.077',
      updateId: 5123107838717,
      tsExchangeMs: 1723161256310,
    })
    expect(parseBookTicker(data('ws_spot_book_ticker.json'), 'binance-spot')).toMatchObject({
      bidPrice: '2683.80000000',
      askSizeBase: '31.43950000',
      updateId: 35346513501,
      tsExchangeMs: 0,
    })
  })

  it('trade and aggTrade: m=true means the buyer was the maker, so the aggressor sold', () => {
    expect(parseTrade(data('ws_trade.json'), 'binance-usdm')).toMatchObject({
      tradeId: '4308068523',
      price: '2681.62',
      sizeBase: '1.000',
      side: 'sell',
    })
    expect(parseTrade(fixture('ws_agg_trade.json'), 'binance-usdm')).toMatchObject({
      tradeId: '5933014',
      price: '0.001',
      sizeBase: '100',
      side: 'sell',
      tsExchangeMs: 123456785,
    })
  })

  it('ORDER_TRADE_UPDATE (docs example): a NEW order, no fill', () => {
    const u = parseOrderUpdate(fixture('ws_order_trade_update.json'), 'binance-usdm')
    expect(u.fill).toBeUndefined()
    expect(u.order).toMatchObject({
      symbol: 'BTCUSDT',
      clientOrderId: 'TEST',
      orderId: '8886774',
      side: 'sell',
      state: 'new',
      sizeBase: '0.001',
      filledSizeBase: '0',
      reduceOnly: false,
    })
  })

  it('ACCOUNT_UPDATE (docs example): positions per leg, wallet balance only (cw is not available balance)', () => {
    const u = parseAccountUpdate(fixture('ws_account_update.json'), 'binance-usdm')
    expect(u.reason).toBe('ORDER')
    expect(u.walletBalances).toEqual([
      { asset: 'USDT', wallet: '122624.12345678' },
      { asset: 'BUSD', wallet: '1.00000000' },
    ])
    expect(u.positions.map((p) => [p.symbol, p.sizeBase, p.entryPrice])).toEqual([
      ['BTCUSDT', '0', '0.00000'],
      ['BTCUSDT', '20', '6563.66500'],
      ['BTCUSDT', '-10', '6563.86000'],
    ])
  })

  it('ACCOUNT_UPDATE positions carry the transaction time T (the fills’ time), not the event time E', () => {
    // E (1564745798939) is when the event was pushed; T (1564745798938) when the change happened, the clock the fills'
    // trade times are on. A position stamped E would claim fills with trade times in (T, E] it does not hold.
    const u = parseAccountUpdate(fixture('ws_account_update.json'), 'binance-usdm')
    expect(u.positions.map((p) => p.tsExchangeMs)).toEqual([1564745798938, 1564745798938, 1564745798938])
    expect(u.eventTimeMs).toBe(1564745798939)
    // Without T (older payloads), E.
    const withoutT = { ...(fixture('ws_account_update.json') as Record<string, unknown>) }
    delete withoutT.T
    expect(parseAccountUpdate(withoutT, 'binance-usdm').positions[0]?.tsExchangeMs).toBe(1564745798939)
  })

  it('malformed payloads raise MalformedFrameError naming the field', () => {
    const bad = { ...(data('ws_depth_update.json') as object), u: '5123107837896' }
    expect(() => parseDepthUpdate(bad, 'binance-usdm')).toThrow(MalformedFrameError)
    const error = catchError(() =>
      parseBookTicker({ s: 'ETHUSDT', u: 1, b: '1e3', B: '1', a: '2', A: '1' }, 'binance-usdm'),
    )
    expect(error).toBeInstanceOf(MalformedFrameError)
    expect((error as MalformedFrameError).field).toBe('b')
    expect(() => parseOrderUpdate(fixture('ws_listen_key_expired.json'), 'binance-usdm')).toThrow(MalformedFrameError)
  })
})
