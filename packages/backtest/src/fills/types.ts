import type { Side } from '@alp/hedger'

/** One of our resting post-only orders at the simulated venue (grid units: price ticks, size lots). */
export type RestingOrder = {
  readonly clientOrderId: string
  readonly side: Side
  readonly priceTicks: number
  sizeLots: number
  filledLots: number
  /** When the venue has it (send time + entry latency); only later market data can fill it. */
  readonly liveFromNs: bigint
}

/** A one-minute bar on the venue grid. */
export type BarTicks = {
  readonly openTimeNs: bigint
  readonly lowTicks: number
  readonly highTicks: number
  readonly volumeLots: number
}

/**
 * Decides whether a bar fills a resting order (hftbacktest-style queue realism, reduced to bars): `touch` fills when
 * the bar reaches the price, `tradeThrough` only when it trades strictly beyond it (the queue ahead of us at that
 * price is assumed never to clear).
 */
export type BarFillModel = {
  readonly kind: 'touch' | 'tradeThrough'
  readonly isFilled: (order: RestingOrder, bar: BarTicks) => boolean
}

/** How much of a fillable order fills on one bar. */
export type ExchangeKind = {
  readonly kind: 'noPartialFill' | 'partialFill'
  readonly fillLots: (order: RestingOrder, bar: BarTicks) => number
}

/** Fee of a fill in quote units as an exact decimal string (negative = rebate). */
export type FeeModel = {
  readonly kind: string
  readonly feeQuote: (fill: { priceTicks: number; sizeLots: number; maker: boolean }) => string
}
