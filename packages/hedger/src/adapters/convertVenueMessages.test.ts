import type { Bbo, Fill, Order } from '@alp/exchange-connectors'
import { describe, expect, it } from 'vitest'
import { parseHedgerConfig } from '../config/parseHedgerConfig.js'
import { VenueDataError } from '../errors/adapter.js'
import { bboToEvent, fillToEvent, orderToEvent } from './convertVenueMessages.js'

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
