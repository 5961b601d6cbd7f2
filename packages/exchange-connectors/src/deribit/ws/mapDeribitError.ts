import type { ConnectorError } from '../../errors/base.js'
import { DeribitAuthError, DeribitRpcError, DeribitSessionTerminatedError } from '../../errors/deribit.js'
import { PostOnlyRejectedError } from '../../errors/order.js'
import { InsufficientMarginError, OrderNotFoundError } from '../../errors/venue.js'

/**
 * Deribit codes after which resending the same request may succeed. 13888 `timed_out`: the matching engine did not
 * start the request before its `valid_until`, so it had no effect.
 */
const RETRYABLE = new Set([10040, 10041, 10047, 11051, 13888])

/**
 * Maps a JSON-RPC `error {code, message}` to a typed error. `order` names the order (client id and price) for order
 * methods so a post-only rejection (11054) carries them.
 */
export function mapDeribitError(
  method: string,
  error: { code: number; message: string },
  order?: { clientOrderId: string; price: string },
): ConnectorError {
  const args = { venue: 'deribit', venueCode: error.code, venueMessage: error.message, endpoint: method }
  switch (error.code) {
    case 11054:
      return new PostOnlyRejectedError({
        venue: 'deribit',
        venueCode: 11054,
        clientOrderId: order?.clientOrderId ?? '(unknown)',
        price: order?.price ?? '(unknown)',
      })
    case 10004:
    case 11044:
      return new OrderNotFoundError(args)
    case 10009:
      return new InsufficientMarginError(args)
    case 10028:
      return new DeribitSessionTerminatedError({ method })
    case 13004:
    case 13009:
      return new DeribitAuthError({ method, venueCode: error.code, venueMessage: error.message })
    default:
      return new DeribitRpcError({
        method,
        venueCode: error.code,
        venueMessage: error.message,
        retryable: RETRYABLE.has(error.code),
      })
  }
}
