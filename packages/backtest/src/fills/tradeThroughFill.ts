import type { BarFillModel } from './types.js'

/** A buy fills only when the bar trades strictly below its price, a sell strictly above (conservative: back of the queue). */
export function tradeThroughFill(): BarFillModel {
  return {
    kind: 'tradeThrough',
    isFilled: (order, bar) =>
      order.side === 'buy' ? bar.lowTicks < order.priceTicks : bar.highTicks > order.priceTicks,
  }
}
