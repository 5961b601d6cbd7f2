import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { snapQuotePrices } from './snapQuotePrices.js'

describe('snapQuotePrices', () => {
  it('rounds away from the mid and floors depths at the edge (hand computed)', () => {
    // mid 101: bid 101 − 2.4 = 98.6 → 98 (down); ask depth 0.3 < edge 0.5 → 101.5 → 102 (up).
    expect(
      snapQuotePrices({
        bestBidTicks: 100,
        bestAskTicks: 102,
        bidDepthTicks: 2.4,
        askDepthTicks: 0.3,
        minDepthTicks: 0.5,
        reducingSide: 'sell',
      }),
    ).toEqual({ bidPriceTicks: 98, askPriceTicks: 102 })
  })
  it('never lets a negative model depth cross the mid', () => {
    // mid 100.5: ask depth −3 is floored at 0 → 100.5 → 101 = best ask (joins, never crosses); bid 95.5 → 95.
    expect(
      snapQuotePrices({
        bestBidTicks: 100,
        bestAskTicks: 101,
        bidDepthTicks: 5,
        askDepthTicks: -3,
        minDepthTicks: 0,
        reducingSide: 'sell',
      }),
    ).toEqual({ bidPriceTicks: 95, askPriceTicks: 101 })
  })
  it('moves the increasing side away until the reducing side is at least as close', () => {
    // mid 105, reducing = buy: bid 101 (4 ticks away), ask 106 (1 tick away) → ask moved to 105 + 4 = 109.
    expect(
      snapQuotePrices({
        bestBidTicks: 100,
        bestAskTicks: 110,
        bidDepthTicks: 4,
        askDepthTicks: 1,
        minDepthTicks: 0,
        reducingSide: 'buy',
      }),
    ).toEqual({ bidPriceTicks: 101, askPriceTicks: 109 })
    // Same inputs with no reducing side: prices as rounded.
    expect(
      snapQuotePrices({
        bestBidTicks: 100,
        bestAskTicks: 110,
        bidDepthTicks: 4,
        askDepthTicks: 1,
        minDepthTicks: 0,
        reducingSide: null,
      }),
    ).toEqual({ bidPriceTicks: 101, askPriceTicks: 106 })
  })
  it('drops a bid that would be below one tick', () => {
    expect(
      snapQuotePrices({
        bestBidTicks: 2,
        bestAskTicks: 3,
        bidDepthTicks: 10,
        askDepthTicks: 1,
        minDepthTicks: 0,
        reducingSide: null,
      }).bidPriceTicks,
    ).toBeNull()
  })
  it('property: post-only (bid < best ask, ask > best bid), bid < ask, reducing side never farther', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.constantFrom('buy' as const, 'sell' as const, null),
        (bestBidTicks, spreadTicks, bidDepthTicks, askDepthTicks, minDepthTicks, reducingSide) => {
          const bestAskTicks = bestBidTicks + spreadTicks
          const { bidPriceTicks, askPriceTicks } = snapQuotePrices({
            bestBidTicks,
            bestAskTicks,
            bidDepthTicks,
            askDepthTicks,
            minDepthTicks,
            reducingSide,
          })
          const mid2 = bestBidTicks + bestAskTicks
          if (bidPriceTicks !== null) {
            expect(Number.isInteger(bidPriceTicks)).toBe(true)
            expect(bidPriceTicks).toBeLessThan(bestAskTicks)
            expect(2 * bidPriceTicks).toBeLessThanOrEqual(mid2)
          }
          if (askPriceTicks !== null) {
            expect(Number.isInteger(askPriceTicks)).toBe(true)
            expect(askPriceTicks).toBeGreaterThan(bestBidTicks)
            expect(2 * askPriceTicks).toBeGreaterThanOrEqual(mid2)
          }
          if (bidPriceTicks !== null && askPriceTicks !== null) {
            expect(bidPriceTicks).toBeLessThan(askPriceTicks)
            const bidDistance = mid2 - 2 * bidPriceTicks
            const askDistance = 2 * askPriceTicks - mid2
            if (reducingSide === 'sell') expect(askDistance).toBeLessThanOrEqual(bidDistance)
            if (reducingSide === 'buy') expect(bidDistance).toBeLessThanOrEqual(askDistance)
          }
        },
      ),
      { numRuns: 2000, seed: 20261124 },
    )
  })
})
