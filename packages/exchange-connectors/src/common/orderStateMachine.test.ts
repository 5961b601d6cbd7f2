import { describe, expect, it } from 'vitest'
import { catchError } from '../../test/src/catchError.js'
import { InvalidOrderTransitionError } from '../errors/order.js'
import { canTransitionOrder, isFinalOrderState, transitionOrder } from './orderStateMachine.js'
import type { OrderState } from './types/order.js'

const ctx = { venue: 'binance-usdm', clientOrderId: 'q-1' }

describe('order state machine', () => {
  it('follows the happy paths of a post-only quote', () => {
    const path: OrderState[] = ['pendingNew', 'new', 'new', 'partiallyFilled', 'partiallyFilled', 'filled']
    let s: OrderState = 'pendingNew'
    for (const next of path.slice(1)) s = transitionOrder(s, next, ctx)
    expect(s).toBe('filled')
    expect(transitionOrder('new', 'pendingCancel', ctx)).toBe('pendingCancel')
    expect(transitionOrder('pendingCancel', 'filled', ctx)).toBe('filled') // fill raced the cancel
    expect(transitionOrder('pendingNew', 'unknown', ctx)).toBe('unknown')
    expect(transitionOrder('unknown', 'filled', ctx)).toBe('filled')
    expect(transitionOrder('pendingNew', 'rejected', ctx)).toBe('rejected')
  })

  it('final states never move, and the error names the edge', () => {
    for (const final of ['filled', 'canceled', 'expired', 'rejected'] as const) {
      expect(isFinalOrderState(final)).toBe(true)
      for (const to of ['new', 'partiallyFilled', 'filled', 'canceled'] as const)
        expect(canTransitionOrder(final, to)).toBe(false)
    }
    expect(() => transitionOrder('filled', 'new', ctx)).toThrow(InvalidOrderTransitionError)
    const e = catchError(() => transitionOrder('canceled', 'partiallyFilled', ctx)) as InvalidOrderTransitionError
    expect([e.from, e.to, e.clientOrderId, e.code]).toEqual([
      'canceled',
      'partiallyFilled',
      'q-1',
      'INVALID_ORDER_TRANSITION',
    ])
  })

  it('rejects going backwards from partial fill to new, and rejected from a live order', () => {
    expect(canTransitionOrder('partiallyFilled', 'new')).toBe(false)
    expect(canTransitionOrder('new', 'rejected')).toBe(false)
    expect(canTransitionOrder('new', 'pendingNew')).toBe(false)
  })
})
