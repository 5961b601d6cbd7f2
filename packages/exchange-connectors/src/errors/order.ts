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

export type OrderNotPlacedErrorType = OrderNotPlacedError & { name: 'OrderNotPlacedError' }

/**
 * An answer-less create was reconciled and the order provably does not exist: the venue has no order with this client
 * id and the request's recvWindow has passed, so it can no longer be accepted. Safe to send again (with a new id).
 */
export class OrderNotPlacedError extends ConnectorError {
  override name = 'OrderNotPlacedError' as const
  readonly clientOrderId: string
  constructor({ venue, clientOrderId, cause }: { venue: string; clientOrderId: string; cause?: unknown }) {
    super(`Order ${clientOrderId} was not placed (reconciled after an unanswered create).`, {
      code: 'ORDER_NOT_PLACED',
      venue,
      retryable: true,
      cause,
      metaMessages: ['Next: send the order again with a NEW clientOrderId if it is still wanted.'],
    })
    this.clientOrderId = clientOrderId
  }
}

export type InvalidClientOrderIdErrorType = InvalidClientOrderIdError & { name: 'InvalidClientOrderIdError' }

/** A client order id does not match the venue's rule (Binance `^[.A-Z:/a-z0-9_-]{1,36}$`). */
export class InvalidClientOrderIdError extends ConnectorError {
  override name = 'InvalidClientOrderIdError' as const
  constructor({ venue, clientOrderId, rule }: { venue: string; clientOrderId: string; rule: string }) {
    super(`Invalid clientOrderId: ${JSON.stringify(clientOrderId)} (must match ${rule}).`, {
      code: 'INVALID_CLIENT_ORDER_ID',
      venue,
      retryable: false,
      metaMessages: ['Next: generate ids from [A-Za-z0-9._:/-], at most 36 characters.'],
    })
  }
}
