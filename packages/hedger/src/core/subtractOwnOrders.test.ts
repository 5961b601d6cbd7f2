import { describe, expect, it } from 'vitest'
import { ownLotsAt, subtractOwnOrders } from './subtractOwnOrders.js'
import type { WorkingOrder } from './types.js'

const order = (
  clientOrderId: string,
  side: 'buy' | 'sell',
  priceTicks: number,
  sizeLots: number,
  filledLots = 0,
): [string, WorkingOrder] => [
  clientOrderId,
  {
    clientOrderId,
    side,
    priceTicks,
    sizeLots,
    filledLots,
    filledByUpdatesLots: filledLots,
    filledByFillsLots: 0,
    awaitingFills: false,
    finalVenueTimeMs: null,
    lastVenueTimeMs: null,
    pending: null,
    sentNs: 0n,
    unknown: false,
    nextLookupNs: null,
    lookupAttempts: 0,
  },
]

describe('subtractOwnOrders', () => {
  it('removes our remaining size from the levels and drops levels that were only ours', () => {
    const orders = new Map([order('a', 'buy', 100, 5), order('b', 'buy', 99, 4, 3), order('c', 'sell', 100, 9)])
    // 100: 5 − 5 = 0 → dropped; 99: 3 − (4 − 3) = 2; 98 untouched. The sell order does not touch the bids.
    expect(
      subtractOwnOrders(
        [
          [100, 5],
          [99, 3],
          [98, 7],
        ],
        orders,
        'buy',
      ),
    ).toEqual([
      [99, 2],
      [98, 7],
    ])
    expect(ownLotsAt(orders, 'buy', 99)).toBe(1)
    expect(ownLotsAt(orders, 'sell', 100)).toBe(9)
  })
})
