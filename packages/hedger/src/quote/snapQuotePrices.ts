import type { Side } from '../messages/events.js'

export type SnapQuotePricesParameters = {
  bestBidTicks: number
  bestAskTicks: number
  /** Model depth of the bid below the mid, ticks (may be negative). */
  bidDepthTicks: number
  /** Model depth of the ask above the mid, ticks. */
  askDepthTicks: number
  /**
   * Minimum depth from the mid (maker fee + minimum edge), ticks, ≥ 0: for both quotes inside the dead band, for the
   * side that increases the exposure otherwise. The reducing side is floored at the touch only (post-only): paying the
   * maker fee to cut risk is the hedge's cost, and a reducing quote held at the fee floor rarely fills.
   */
  minDepthTicks: number
  /** The side that reduces the net exposure, or null inside the dead band. */
  reducingSide: Side | null
  /** Floor the reducing side at `minDepthTicks` too (default false: at the touch only). */
  floorReducingSide?: boolean | undefined
}

/** Absorbs float noise when a depth lands exactly on a tick. */
const EPSILON_TICKS = 1e-9

/**
 * Turns model depths into post-only prices on the tick grid:
 * 1. depths are floored at the minimum edge (the reducing side at 0); the bid is rounded down, the ask up (away from
 *    the mid);
 * 2. never crossing: bid ≤ best ask − 1 tick, ask ≥ best bid + 1 tick;
 * 3. the exposure-reducing side is never farther from the mid than the other side: if it is, the OTHER side is moved
 *    away (only ever away from the book, so 2 still holds);
 * 4. bid < ask: with zero edge both may land on the mid; the non-reducing side (the bid if none) steps one tick away.
 * Prices are integers; a side with a price < 1 tick is returned as null.
 */
export function snapQuotePrices(parameters: SnapQuotePricesParameters): {
  bidPriceTicks: number | null
  askPriceTicks: number | null
} {
  const { bestBidTicks, bestAskTicks, minDepthTicks, reducingSide } = parameters
  const mid2 = bestBidTicks + bestAskTicks
  const floorReducing = parameters.floorReducingSide === true
  const bidDepth = Math.max(parameters.bidDepthTicks, reducingSide === 'buy' && !floorReducing ? 0 : minDepthTicks)
  const askDepth = Math.max(parameters.askDepthTicks, reducingSide === 'sell' && !floorReducing ? 0 : minDepthTicks)
  let bid = Math.floor(mid2 / 2 - bidDepth + EPSILON_TICKS)
  let ask = Math.ceil(mid2 / 2 + askDepth - EPSILON_TICKS)
  if (bid >= bestAskTicks) bid = bestAskTicks - 1
  if (ask <= bestBidTicks) ask = bestBidTicks + 1
  // Distances from the mid in half ticks (integers).
  const bidDistance2 = mid2 - 2 * bid
  const askDistance2 = 2 * ask - mid2
  if (reducingSide === 'sell' && bidDistance2 < askDistance2) bid = Math.floor((mid2 - askDistance2) / 2)
  else if (reducingSide === 'buy' && askDistance2 < bidDistance2) ask = Math.ceil((mid2 + bidDistance2) / 2)
  // Both at the mid (zero edge, even spread): never quote against ourselves; the non-reducing side steps away.
  if (bid >= ask) {
    if (reducingSide === 'buy') ask = bid + 1
    else bid = ask - 1
  }
  return { bidPriceTicks: bid >= 1 ? bid : null, askPriceTicks: ask >= 1 ? ask : null }
}
