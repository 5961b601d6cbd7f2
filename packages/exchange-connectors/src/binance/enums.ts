import type { OrderState, TimeInForce } from '../common/types/order.js'

/** Binance order status → normalised state. */
export function mapBinanceOrderStatus(status: string): OrderState | undefined {
  switch (status) {
    case 'NEW':
      return 'new'
    case 'PARTIALLY_FILLED':
      return 'partiallyFilled'
    case 'FILLED':
      return 'filled'
    case 'CANCELED':
    case 'PENDING_CANCEL':
      return status === 'CANCELED' ? 'canceled' : 'pendingCancel'
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH':
      return 'expired'
    case 'REJECTED':
      return 'rejected'
    default:
      return undefined
  }
}

/** Binance `timeInForce` (and spot `LIMIT_MAKER` type) → normalised. */
export function mapBinanceTimeInForce(timeInForce: string, type: string): TimeInForce {
  if (type === 'LIMIT_MAKER' || timeInForce === 'GTX') return 'postOnly'
  if (timeInForce === 'IOC') return 'ioc'
  if (timeInForce === 'FOK') return 'fok'
  return 'gtc'
}

/** Binance `newClientOrderId` rule. */
export const BINANCE_CLIENT_ORDER_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/
