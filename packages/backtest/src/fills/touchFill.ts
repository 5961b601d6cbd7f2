import type { BarFillModel } from './types.js'

/** A buy fills when the bar's low reaches its price, a sell when the high does (optimistic: front of the queue). */
export function touchFill(): BarFillModel {
  return {
    kind: 'touch',
    isFilled: (order, bar) =>
      order.side === 'buy' ? bar.lowTicks <= order.priceTicks : bar.highTicks >= order.priceTicks,
  }
}
