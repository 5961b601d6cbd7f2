import { canTransitionOrder, isFinalOrderState } from './orderStateMachine.js'
import type { Order } from './types/order.js'

/**
 * What to do with an incoming view of an order (a stream update or a REST answer) given the one we hold:
 * - `accept`: a new order, or an allowed transition: record and emit it;
 * - `unchanged`: the same state, fill, price and size: nothing to do;
 * - `stale`: older than what we hold: drop it. A final state (filled, canceled, expired, rejected) is never left, so any
 *   other state arriving after it is an older view (e.g. a REST open-orders snapshot sent before the stream's EXPIRED);
 *   likewise a disallowed transition whose exchange time is earlier than ours;
 * - `invalid`: a disallowed transition that is not older: the venue's word wins, record it and report the anomaly.
 */
export type MergeOrderUpdateAction = 'accept' | 'unchanged' | 'stale' | 'invalid'

/** Decides how `incoming` relates to `previous` (same client order id). Pure. */
export function mergeOrderUpdate(previous: Order | undefined, incoming: Order): MergeOrderUpdateAction {
  if (previous === undefined) return 'accept'
  // the client id was reused for another venue order after the first one ended
  if (previous.orderId !== undefined && incoming.orderId !== undefined && previous.orderId !== incoming.orderId)
    return 'accept'
  if (
    previous.state === incoming.state &&
    previous.filledSizeBase === incoming.filledSizeBase &&
    previous.price === incoming.price &&
    previous.sizeBase === incoming.sizeBase
  )
    return 'unchanged'
  if (canTransitionOrder(previous.state, incoming.state)) return 'accept'
  if (isFinalOrderState(previous.state)) return 'stale'
  if (incoming.tsExchangeMs < previous.tsExchangeMs) return 'stale'
  return 'invalid'
}
