import type { Order } from '@alp/exchange-connectors'
import { describe, expect, it } from 'vitest'
import { parseHedgerConfig } from '../config/parseHedgerConfig.js'
import { orderToEvent } from './convertVenueMessages.js'
import { createInverseOrderSizeTranslator } from './createInverseOrderSizeTranslator.js'

// BTC-PERPETUAL: contracts of 10 USD, the hedger's lot 0.0001 BTC. The hedger sends 0.0123 BTC (123 lots) at 60000.5:
// the connector sends floor(0.0123 · 60000.5 / 10) = floor(73.8006…) = 73 contracts = 730 USD and reports the order
// back as 730 / 60000.5 = 0.012166565278 BTC = 121.67 lots → 122 by the nearest-lot rule: not the 123 the core sent.
const venue = parseHedgerConfig({
  venues: [
    {
      venue: 'deribit',
      tickSize: '0.5',
      stepSize: '0.0001',
      contract: { type: 'inverse', contractSizeQuote: '10' },
    },
  ],
}).venues[0]
if (!venue) throw new Error('no venue')

type InverseOrder = Order & { sizeQuote: string | undefined; filledSizeQuote: string | undefined }
const order: InverseOrder = {
  venue: 'deribit',
  symbol: 'BTC-PERPETUAL',
  orderId: 'BTC-1',
  clientOrderId: 'alp0x1',
  side: 'sell',
  price: '60000.5',
  sizeBase: '0.012166565278',
  filledSizeBase: '0',
  avgFillPrice: '0',
  timeInForce: 'postOnly',
  reduceOnly: false,
  state: 'new',
  tsExchangeMs: 1,
  raw: null,
  sizeQuote: '730',
  filledSizeQuote: '0',
}

describe('createInverseOrderSizeTranslator', () => {
  it('without it, the core would see 122 lots for the 123 it sent (amend detection compares sizes)', () => {
    expect(orderToEvent(venue, order, 1n)?.sizeLots).toBe(122)
  })
  it('an order whose USD amount is what our size produced at its price is reported at the size we sent', () => {
    const t = createInverseOrderSizeTranslator({ contractSizeQuote: '10' })
    t.sent('alp0x1', '0.0123', '60000.5')
    const seen = t.order(order)
    expect(seen).toMatchObject({ sizeBase: '0.0123', sizeQuote: '730', filledSizeBase: '0', price: '60000.5' })
    expect(orderToEvent(venue, seen, 1n)?.sizeLots).toBe(123)
    // the same price written differently still matches
    expect(t.order({ ...order, price: '60000.50' }).sizeBase).toBe('0.0123')
  })
  it('anything else keeps the venue size (rounded to the nearest lot by the conversion)', () => {
    const t = createInverseOrderSizeTranslator({ contractSizeQuote: '10' })
    t.sent('alp0x1', '0.0123', '60000.5')
    // another USD amount (edited elsewhere, partly cancelled): the venue's size
    expect(t.order({ ...order, sizeQuote: '720' }).sizeBase).toBe('0.012166565278')
    // another price
    expect(t.order({ ...order, price: '60001' }).sizeBase).toBe('0.012166565278')
    // an order we never sent (adopted from a previous run)
    expect(t.order({ ...order, clientOrderId: 'other' }).sizeBase).toBe('0.012166565278')
    // a linear order (no USD amount)
    expect(t.order({ ...order, sizeQuote: undefined }).sizeBase).toBe('0.012166565278')
  })
  it('after an amend both sends are recognised: the answer at the new size, a late update at the old one', () => {
    const t = createInverseOrderSizeTranslator({ contractSizeQuote: '10' })
    t.sent('alp0x1', '0.0123', '60000.5')
    // amend to 0.02 BTC at 60001: floor(1200.02 / 10) = 120 contracts = 1200 USD; 1200 / 60001 = 0.019999666672
    t.sent('alp0x1', '0.02', '60001')
    expect(t.order({ ...order, price: '60001', sizeQuote: '1200', sizeBase: '0.019999666672' }).sizeBase).toBe('0.02')
    expect(t.order(order).sizeBase).toBe('0.0123')
  })
  it('a final order is forgotten: later (redelivered) updates keep the venue size', () => {
    const t = createInverseOrderSizeTranslator({ contractSizeQuote: '10' })
    t.sent('alp0x1', '0.0123', '60000.5')
    expect(t.order({ ...order, state: 'canceled' }).sizeBase).toBe('0.0123')
    expect(t.order(order).sizeBase).toBe('0.012166565278')
  })
  it('remembers at most maxOrders orders (the oldest is forgotten first)', () => {
    const t = createInverseOrderSizeTranslator({ contractSizeQuote: '10', maxOrders: 2 })
    t.sent('alp0x1', '0.0123', '60000.5')
    t.sent('alp0x2', '0.0123', '60000.5')
    t.sent('alp0x3', '0.0123', '60000.5')
    expect(t.order(order).sizeBase).toBe('0.012166565278')
    expect(t.order({ ...order, clientOrderId: 'alp0x3' }).sizeBase).toBe('0.0123')
  })
  it('refuses a contract size that is not a positive decimal', () => {
    expect(() => createInverseOrderSizeTranslator({ contractSizeQuote: '0' })).toThrow(/contractSizeQuote/)
  })
})
