import { InvalidOrderTransitionError } from '../errors/order.js'
import type { OrderState } from './types/order.js'

const FINAL: ReadonlySet<OrderState> = new Set(['filled', 'canceled', 'expired', 'rejected'])

/**
 * Allowed edges. Self-edges on `new`/`partiallyFilled` are amendments or further partial fills; `pendingCancel` may
 * still fill (a fill raced the cancel). `unknown` resolves to whatever reconciliation finds.
 */
const TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = {
  pendingNew: ['new', 'partiallyFilled', 'filled', 'canceled', 'expired', 'rejected', 'unknown'],
  unknown: ['new', 'partiallyFilled', 'filled', 'canceled', 'expired', 'rejected'],
  new: ['new', 'partiallyFilled', 'filled', 'pendingCancel', 'canceled', 'expired'],
  partiallyFilled: ['partiallyFilled', 'filled', 'pendingCancel', 'canceled', 'expired'],
  pendingCancel: ['pendingCancel', 'new', 'partiallyFilled', 'filled', 'canceled', 'expired'],
  filled: [],
  canceled: [],
  expired: [],
  rejected: [],
}

/** True for states an order never leaves. */
export function isFinalOrderState(state: OrderState): boolean {
  return FINAL.has(state)
}

/** True when `from → to` is an edge of the order state machine. */
export function canTransitionOrder(from: OrderState, to: OrderState): boolean {
  return TRANSITIONS[from].includes(to)
}

/** Returns `to` when `from → to` is allowed, else throws `InvalidOrderTransitionError`. */
export function transitionOrder(
  from: OrderState,
  to: OrderState,
  context: { venue: string; clientOrderId: string },
): OrderState {
  if (!canTransitionOrder(from, to)) throw new InvalidOrderTransitionError({ ...context, from, to })
  return to
}
