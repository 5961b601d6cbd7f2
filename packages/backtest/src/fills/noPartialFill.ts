import type { ExchangeKind } from './types.js'

/** A fillable order fills completely (hftbacktest `NoPartialFillExchange`). */
export function noPartialFill(): ExchangeKind {
  return { kind: 'noPartialFill', fillLots: (order) => order.sizeLots - order.filledLots }
}
