import { describe, expect, it } from 'vitest'
import { mergeOrderUpdate } from './mergeOrderUpdate.js'
import type { Order, OrderState } from './types/order.js'

function order(state: OrderState, overrides: Partial<Order> = {}): Order {
  return {
    venue: 'binance-usdm',
    symbol: 'ETHUSDT',
    orderId: '42',
    clientOrderId: 'hedge-1',
    side: 'sell',
    price: '2681.63',
    sizeBase: '0.100',
    filledSizeBase: '0',
    avgFillPrice: '0',
    timeInForce: 'postOnly',
    reduceOnly: false,
    state,
    tsExchangeMs: 1_000,
    raw: null,
    ...overrides,
  }
}

describe('mergeOrderUpdate', () => {
  it('accepts the first view and allowed transitions', () => {
    expect(mergeOrderUpdate(undefined, order('new'))).toBe('accept')
    expect(mergeOrderUpdate(order('pendingNew', { orderId: undefined }), order('new'))).toBe('accept')
    expect(mergeOrderUpdate(order('new'), order('partiallyFilled', { filledSizeBase: '0.050' }))).toBe('accept')
    expect(mergeOrderUpdate(order('new'), order('expired', { tsExchangeMs: 1_500 }))).toBe('accept')
  })

  it('ignores an identical view', () => {
    expect(mergeOrderUpdate(order('new'), order('new', { tsExchangeMs: 2_000 }))).toBe('unchanged')
  })

  it('drops a REST snapshot that arrives after the stream already ended the order (expired → new)', () => {
    // the race seen in the hedger integration test: open-orders snapshot requested before the stream's EXPIRED
    expect(mergeOrderUpdate(order('expired', { tsExchangeMs: 1_500 }), order('new', { tsExchangeMs: 1_000 }))).toBe(
      'stale',
    )
    // a final state is never left, whatever the timestamps say
    expect(mergeOrderUpdate(order('filled', { filledSizeBase: '0.100' }), order('new', { tsExchangeMs: 9_000 }))).toBe(
      'stale',
    )
  })

  it('drops an older partial view, reports a newer impossible one', () => {
    const partial = order('partiallyFilled', { filledSizeBase: '0.050', tsExchangeMs: 2_000 })
    expect(mergeOrderUpdate(partial, order('new', { tsExchangeMs: 1_000 }))).toBe('stale')
    expect(mergeOrderUpdate(partial, order('new', { tsExchangeMs: 3_000 }))).toBe('invalid')
  })

  it('treats a reused client id with another venue order id as a new order', () => {
    expect(mergeOrderUpdate(order('canceled'), order('new', { orderId: '43' }))).toBe('accept')
  })
})
