import { ConnectorError } from './base.js'

export type InvalidOrderTransitionErrorType = InvalidOrderTransitionError & { name: 'InvalidOrderTransitionError' }

/** An order update would move an order along an edge the state machine does not allow (e.g. FILLED → NEW). */
export class InvalidOrderTransitionError extends ConnectorError {
  override name = 'InvalidOrderTransitionError' as const
  readonly clientOrderId: string
  readonly from: string
  readonly to: string

  constructor({ venue, clientOrderId, from, to }: { venue: string; clientOrderId: string; from: string; to: string }) {
    super(`Order ${clientOrderId}: transition ${from} → ${to} is not allowed.`, {
      code: 'INVALID_ORDER_TRANSITION',
      venue,
      retryable: false,
      metaMessages: ['Next: reconcile the order with a REST query; the local state is behind the venue.'],
    })
    this.clientOrderId = clientOrderId
    this.from = from
    this.to = to
  }
}

export type OrderStatusUnknownErrorType = OrderStatusUnknownError & { name: 'OrderStatusUnknownError' }

/**
 * The venue did not say whether an order was accepted (5xx, timeout, `-1006`, `-1007`) and reconciliation by client
 * order id could not settle it either. Never retryable: sending again could double the position.
 */
export class OrderStatusUnknownError extends ConnectorError {
  override name = 'OrderStatusUnknownError' as const
  readonly clientOrderId: string
  readonly symbol: string

  constructor({
    venue,
    venueCode,
    symbol,
    clientOrderId,
    cause,
  }: { venue: string; venueCode?: number | undefined; symbol: string; clientOrderId: string; cause?: unknown }) {
    super(`Order ${clientOrderId} on ${symbol}: execution status unknown.`, {
      code: 'ORDER_STATUS_UNKNOWN',
      venue,
      venueCode,
      retryable: false,
      cause,
      metaMessages: [
        'The request may have reached the matching engine; the order may be live or filled.',
        `Next: query the order by clientOrderId=${clientOrderId} (or wait for the user stream) before sending anything for this slot.`,
      ],
    })
    this.clientOrderId = clientOrderId
    this.symbol = symbol
  }
}

export type PostOnlyRejectedErrorType = PostOnlyRejectedError & { name: 'PostOnlyRejectedError' }

/** A post-only order (futures GTX, spot LIMIT_MAKER) would have taken liquidity and was rejected, not recorded. */
export class PostOnlyRejectedError extends ConnectorError {
  override name = 'PostOnlyRejectedError' as const
  readonly clientOrderId: string
  constructor({
    venue,
    venueCode,
    clientOrderId,
    price,
  }: { venue: string; venueCode: number | string; clientOrderId: string; price: string }) {
    super(`Post-only order ${clientOrderId} at price ${price} would take liquidity and was rejected.`, {
      code: 'POST_ONLY_REJECTED',
      venue,
      venueCode,
      retryable: false,
      metaMessages: ['Next: re-price one tick behind the opposite best price and send a new order.'],
    })
    this.clientOrderId = clientOrderId
  }
}
