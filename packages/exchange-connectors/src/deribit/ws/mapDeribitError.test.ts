import { describe, expect, it } from 'vitest'
import { DeribitAuthError, DeribitRpcError, DeribitSessionTerminatedError } from '../../errors/deribit.js'
import { PostOnlyRejectedError } from '../../errors/order.js'
import { InsufficientMarginError, OrderNotFoundError } from '../../errors/venue.js'
import { mapDeribitError } from './mapDeribitError.js'

// Codes and names from Deribit's error table as ccxt 4.5.84 `deribit.js` quotes it (reference §2.7).
describe('mapDeribitError', () => {
  it.each([
    [11054, 'post_only_reject', PostOnlyRejectedError, false],
    [10004, 'order_not_found', OrderNotFoundError, false],
    [10009, 'not_enough_funds', InsufficientMarginError, false],
    [10028, 'too_many_requests', DeribitSessionTerminatedError, false],
    [13009, 'unauthorized', DeribitAuthError, true],
    [13004, 'invalid_credentials', DeribitAuthError, false],
    [10047, 'matching_engine_queue_full', DeribitRpcError, true],
    [11029, 'invalid_arguments', DeribitRpcError, false],
  ] as const)('%i %s', (code, message, Class, retryable) => {
    const error = mapDeribitError('private/buy', { code, message }, { clientOrderId: 'q1', price: '60000' })
    expect(error).toBeInstanceOf(Class)
    expect(error.venueCode).toBe(code)
    expect(error.retryable).toBe(retryable)
  })

  it('post-only rejection names the order', () => {
    const error = mapDeribitError(
      'private/buy',
      { code: 11054, message: 'post_only_reject' },
      { clientOrderId: 'q1', price: '60000.5' },
    )
    expect(error).toMatchObject({ code: 'POST_ONLY_REJECTED', clientOrderId: 'q1' })
    expect(error.shortMessage).toContain('60000.5')
  })
})
