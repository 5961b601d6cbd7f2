import type { AmendOrderParameters, Order, PlaceOrderParameters } from './types/order.js'

/** Venue-neutral order entry. Every method throws typed `ConnectorError`s; see docs/exchange-connectors.md. */
export interface ExecutionClient {
  /**
   * Places a limit order. A post-only order that would take throws `PostOnlyRejectedError`. An answer-less create
   * (5xx, timeout, -1006/-1007) is reconciled by client order id before returning; if that cannot settle it,
   * `OrderStatusUnknownError` (never retryable).
   */
  placeOrder(parameters: PlaceOrderParameters): Promise<Order>
  /** Cancels by client order id; `OrderNotFoundError` when the order is already final or unknown. */
  cancelOrder(parameters: { symbol: string; clientOrderId: string }): Promise<Order>
  /** Changes price/size of a live order. */
  amendOrder(parameters: AmendOrderParameters): Promise<Order>
  /** Cancels every open order on `symbol`. */
  cancelAllOrders(symbol: string): Promise<void>
}
