import type { Bbo, Fill, Order, OrderBookView, Position, Trade } from '@alp/exchange-connectors'
import { describe, expect, it } from 'vitest'
import { parseHedgerConfig } from '../config/parseHedgerConfig.js'
import { VenueDataError } from '../errors/adapter.js'
import {
  bboToEvent,
  bookToEvent,
  fillToEvent,
  orderToEvent,
  positionToEvent,
  tradeToEvent,
} from './convertVenueMessages.js'

const venue = parseHedgerConfig({ venues: [{ venue: 'binance-usdm', tickSize: '0.01', stepSize: '0.001' }] }).venues[0]
if (!venue) throw new Error('no venue')

describe('venue message conversion', () => {
  it('turns decimal strings into exact ticks and lots', () => {
    const bbo: Bbo = {
      venue: 'binance-usdm',
      symbol: 'ETHUSDT',
      bidPrice: '2680.10',
      bidSizeBase: '1.234',
      askPrice: '2680.11',
      askSizeBase: '0.5',
      updateId: 1,
      tsExchangeMs: 0,
      tsLocalNs: 0n,
      raw: null,
    }
    expect(bboToEvent(venue, bbo, 5n)).toEqual({
      type: 'bbo',
      tsNs: 5n,
      venue: 'binance-usdm',
      bidPriceTicks: 268_010,
      bidSizeLots: 1234,
      askPriceTicks: 268_011,
      askSizeLots: 500,
    })
    expect(() => bboToEvent(venue, { ...bbo, bidPrice: '2680.105' }, 5n)).toThrow(VenueDataError)
  })
  it('keeps only the venue word on orders (local connector states are skipped)', () => {
    const order: Order = {
      venue: 'binance-usdm',
      symbol: 'ETHUSDT',
      orderId: '1',
      clientOrderId: 'alp0x1',
      side: 'sell',
      price: '2681.00',
      sizeBase: '0.300',
      filledSizeBase: '0.100',
      avgFillPrice: '2681.00',
      timeInForce: 'postOnly',
      reduceOnly: false,
      state: 'partiallyFilled',
      tsExchangeMs: 0,
      raw: null,
    }
    expect(orderToEvent(venue, order, 1n)).toMatchObject({
      status: 'partiallyFilled',
      priceTicks: 268_100,
      sizeLots: 300,
      filledLots: 100,
    })
    expect(orderToEvent(venue, { ...order, state: 'pendingNew' }, 1n)).toBeNull()
    expect(orderToEvent(venue, { ...order, state: 'unknown' }, 1n)).toBeNull()
  })
  it('converts fills with signed sides and exact sizes', () => {
    const fill: Fill = {
      venue: 'binance-usdm',
      symbol: 'ETHUSDT',
      orderId: '1',
      clientOrderId: 'alp0x1',
      tradeId: '77',
      side: 'sell',
      price: '2681.00',
      sizeBase: '0.050',
      fee: '0.0268',
      feeAsset: 'USDT',
      isMaker: true,
      tsExchangeMs: 0,
      raw: null,
    }
    expect(fillToEvent(venue, fill, 2n)).toEqual({
      type: 'fill',
      tsNs: 2n,
      venue: 'binance-usdm',
      clientOrderId: 'alp0x1',
      tradeId: '77',
      side: 'sell',
      priceTicks: 268_100,
      sizeLots: 50,
      feeQuote: '0.0268',
    })
  })
})

// ETH-PERPETUAL on Deribit: amounts in USD contracts of 1 USD; the connector reports base sizes as USD / price,
// truncated at 12 decimals, and book levels as integer contracts. Expected lots computed by hand below.
const inverse = parseHedgerConfig({
  venues: [
    {
      venue: 'deribit',
      tickSize: '0.05',
      stepSize: '0.001',
      contract: { type: 'inverse', contractSizeQuote: '1' },
    },
  ],
}).venues[0]
if (!inverse) throw new Error('no venue')

describe('venue message conversion on an inverse instrument (ETH-PERPETUAL)', () => {
  const order: Order = {
    venue: 'deribit',
    symbol: 'ETH-PERPETUAL',
    orderId: 'ETH-1',
    clientOrderId: 'alp0x1',
    side: 'sell',
    price: '2684.95',
    // 805 USD / 2684.95 = 0.299819363116|… (truncated); filled 300 USD at 2684.95 = 0.111733086277|…
    sizeBase: '0.299819363116',
    filledSizeBase: '0.111733086277',
    avgFillPrice: '2684.95',
    timeInForce: 'postOnly',
    reduceOnly: false,
    state: 'partiallyFilled',
    tsExchangeMs: 1,
    raw: null,
  }
  it('orders: 299.819 lots → 300, 111.733 lots → 112 (no VenueDataError)', () => {
    expect(orderToEvent(inverse, order, 1n)).toMatchObject({ priceTicks: 53_699, sizeLots: 300, filledLots: 112 })
  })
  it('fills, positions, BBO and trades: nearest lot', () => {
    const fill: Fill = {
      venue: 'deribit',
      symbol: 'ETH-PERPETUAL',
      orderId: 'ETH-1',
      clientOrderId: 'alp0x1',
      tradeId: 'ETH-77',
      side: 'sell',
      price: '2684.95',
      sizeBase: '0.111733086277', // 300 USD
      fee: '0',
      feeAsset: 'ETH',
      isMaker: true,
      tsExchangeMs: 2,
      raw: null,
    }
    expect(fillToEvent(inverse, fill, 2n)).toMatchObject({ sizeLots: 112, priceTicks: 53_699 })
    const position: Position = {
      venue: 'deribit',
      symbol: 'ETH-PERPETUAL',
      sizeBase: '-0.11173308', // −300 USD at mark 2684.95, as the venue prints it (8 decimals)
      entryPrice: '2684.95',
      unrealizedPnlQuote: '0',
      tsExchangeMs: 3,
      raw: null,
    }
    expect(positionToEvent(inverse, position, 3n)).toMatchObject({ sizeLots: -112 })
    const bbo: Bbo = {
      venue: 'deribit',
      symbol: 'ETH-PERPETUAL',
      bidPrice: '2675',
      bidSizeBase: '5', // 13 375 USD / 2675
      askPrice: '2685',
      askSizeBase: '0.000372439478', // 1 USD / 2685: 0.37 lots → 0
      updateId: 0,
      tsExchangeMs: 4,
      tsLocalNs: 0n,
      raw: null,
    }
    expect(bboToEvent(inverse, bbo, 4n)).toMatchObject({ bidSizeLots: 5000, askSizeLots: 0 })
    const trade: Trade = {
      venue: 'deribit',
      symbol: 'ETH-PERPETUAL',
      tradeId: 'ETH-78',
      price: '2685',
      sizeBase: '0.007448789571', // 20 USD / 2685 = 7.45 lots → 7
      side: 'buy',
      tsExchangeMs: 5,
      tsLocalNs: 0n,
      raw: null,
    }
    expect(tradeToEvent(inverse, trade, 5n)).toMatchObject({ sizeLots: 7 })
  })
  it('book levels in USD contracts become base lots at each level’s price', () => {
    const book: OrderBookView = {
      venue: 'deribit',
      symbol: 'ETH-PERPETUAL',
      updateId: 9,
      tsExchangeMs: 6,
      // 13 375 USD at 2675.00 (53 500 ticks) = 5 ETH; 805 USD at 2684.95 = 0.2998 ETH → 300 lots;
      // 13 425 USD at 2685.00 = 5 ETH
      bids: [[53_500, 13_375]],
      asks: [
        [53_699, 805],
        [53_700, 13_425],
      ],
    }
    expect(bookToEvent(inverse, book, 6n)).toEqual({
      type: 'book',
      tsNs: 6n,
      venue: 'deribit',
      bids: [[53_500, 5000]],
      asks: [
        [53_699, 300],
        [53_700, 5000],
      ],
    })
  })
  it('linear venues keep their book levels as they are (already base lots)', () => {
    const book: OrderBookView = {
      venue: 'binance-usdm',
      symbol: 'ETHUSDT',
      updateId: 1,
      tsExchangeMs: 0,
      bids: [[268_000, 5000]],
      asks: [[268_010, 300]],
    }
    expect(bookToEvent(venue, book, 1n)).toMatchObject({ bids: [[268_000, 5000]], asks: [[268_010, 300]] })
  })
})
