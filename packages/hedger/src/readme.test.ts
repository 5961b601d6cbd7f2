import { describe, expect, it } from 'vitest'
import { createHedger, type HedgerCommand, type HedgerEvent, step } from './index.js'

// The README snippet, kept runnable: the core driven by a few hand-written events.
describe('README snippet', () => {
  it('runs and hedges a long LP with a post-only sell', () => {
    let state = createHedger({
      venues: [{ venue: 'binance-usdm', tickSize: '0.01', stepSize: '0.001', makerFeeBps: 2 }],
      calibration: {
        volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 2 },
        intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
      },
      hedge: { orderSizeBase: 0.1 },
    })
    const s = 1_000_000_000n
    const events: HedgerEvent[] = [
      { type: 'venueHealth', tsNs: 1n * s, venue: 'binance-usdm', status: 'connected' },
      {
        type: 'bbo',
        tsNs: 2n * s,
        venue: 'binance-usdm',
        bidPriceTicks: 299_999,
        bidSizeLots: 5000,
        askPriceTicks: 300_001,
        askSizeLots: 5000,
      },
      {
        type: 'bbo',
        tsNs: 3n * s,
        venue: 'binance-usdm',
        bidPriceTicks: 300_019,
        bidSizeLots: 5000,
        askPriceTicks: 300_021,
        askSizeLots: 5000,
      },
      {
        type: 'bbo',
        tsNs: 4n * s,
        venue: 'binance-usdm',
        bidPriceTicks: 299_999,
        bidSizeLots: 5000,
        askPriceTicks: 300_001,
        askSizeLots: 5000,
      },
      // The LP holds 0.3 ETH more than its target: net exposure +0.3 ETH.
      { type: 'lpInventory', tsNs: 5n * s, baseHeldBase: '1.3', baseTargetBase: '1.0', poolPrice: '3000.00' },
    ]
    const commands: HedgerCommand[] = []
    for (const event of events) {
      const result = step(state, event)
      state = result.state
      commands.push(...result.commands)
    }
    const places = commands.filter((command) => command.type === 'placeOrder')
    // A sell of the whole 0.3 ETH exposure, and a smaller buy: 0.1 · e^(−0.5 · 3) = 0.0223 ETH → 22 lots.
    expect(places.map((place) => `${place.side} ${place.sizeBase}`)).toEqual(['buy 0.022', 'sell 0.300'])
  })
})
