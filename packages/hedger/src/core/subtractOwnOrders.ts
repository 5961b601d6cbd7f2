import type { BookLevelTicks, Side } from '../messages/events.js'
import type { WorkingOrder } from './types.js'

/**
 * The book as others see it: our own working orders' remaining lots are taken out of the levels at their prices, and
 * emptied levels are dropped. Quoting against a touch that is our own order would make the quotes chase themselves.
 * Pending orders count too (they may already rest in the book): when in doubt the external touch is deeper, which
 * only moves our quotes away from the mid.
 */
export function subtractOwnOrders(
  levels: readonly BookLevelTicks[],
  orders: ReadonlyMap<string, WorkingOrder>,
  side: Side,
): BookLevelTicks[] {
  if (orders.size === 0) return levels as BookLevelTicks[]
  const own = new Map<number, number>()
  for (const order of orders.values())
    if (order.side === side)
      own.set(order.priceTicks, (own.get(order.priceTicks) ?? 0) + order.sizeLots - order.filledLots)
  if (own.size === 0) return levels as BookLevelTicks[]
  const out: BookLevelTicks[] = []
  for (const level of levels) {
    const mine = own.get(level[0])
    if (mine === undefined) out.push(level)
    else if (level[1] > mine) out.push([level[0], level[1] - mine])
  }
  return out
}

/** Our remaining lots resting at `priceTicks` on `side`. */
export function ownLotsAt(orders: ReadonlyMap<string, WorkingOrder>, side: Side, priceTicks: number): number {
  let lots = 0
  for (const order of orders.values())
    if (order.side === side && order.priceTicks === priceTicks) lots += order.sizeLots - order.filledLots
  return lots
}
