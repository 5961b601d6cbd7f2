import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type DecimalStep, toDecimalStep } from './decimalTicks.js'
import { quoteContractsToBaseLots } from './quoteContractsToBaseLots.js'

function step(text: string): DecimalStep {
  const parsed = toDecimalStep(text)
  if (!parsed) throw new Error(`bad step ${text}`)
  return parsed
}

describe('quoteContractsToBaseLots (an inverse book level: contracts at a price → base lots, nearest)', () => {
  it('ETH-PERPETUAL: 13 375 contracts of 1 USD at 2675.00 = 5 ETH = 5000 lots of 0.001', () => {
    const grid = { contractSizeQuote: step('1'), tick: step('0.05'), step: step('0.001') }
    expect(quoteContractsToBaseLots({ ...grid, contracts: 13_375, priceTicks: 53_500 })).toBe(5000)
    // 805 USD at 2684.95 (53 699 ticks) = 0.29981936… ETH → 299.82 lots → 300
    expect(quoteContractsToBaseLots({ ...grid, contracts: 805, priceTicks: 53_699 })).toBe(300)
    // 1 USD at 2685 = 0.000372… ETH → 0.37 lots → 0 (a level smaller than half a lot counts as empty)
    expect(quoteContractsToBaseLots({ ...grid, contracts: 1, priceTicks: 53_700 })).toBe(0)
  })
  it('BTC-PERPETUAL: 3 contracts of 10 USD at 49000 (ticks of 0.5) = 0.000612… BTC → 6 lots of 0.0001', () => {
    const grid = { contractSizeQuote: step('10'), tick: step('0.5'), step: step('0.0001') }
    expect(quoteContractsToBaseLots({ ...grid, contracts: 3, priceTicks: 98_000 })).toBe(6)
    // 5 contracts at 40000: 50 / 40000 = 0.00125 BTC = 12.5 lots → 13 (tie away from zero)
    expect(quoteContractsToBaseLots({ ...grid, contracts: 5, priceTicks: 80_000 })).toBe(13)
  })
  it('null for a non-positive price or an unsafe result', () => {
    const grid = { contractSizeQuote: step('1'), tick: step('0.05'), step: step('0.001') }
    expect(quoteContractsToBaseLots({ ...grid, contracts: 10, priceTicks: 0 })).toBeNull()
    expect(quoteContractsToBaseLots({ ...grid, contracts: Number.MAX_SAFE_INTEGER, priceTicks: 1 })).toBeNull()
  })
  it('property: at most half a lot from contracts·c / price', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('1', '10', '0.1'),
        fc.constantFrom('0.05', '0.5', '0.01'),
        fc.constantFrom('0.001', '0.0001', '0.01'),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 1, max: 100_000_000 }),
        (c, t, s, contracts, priceTicks) => {
          const grid = { contractSizeQuote: step(c), tick: step(t), step: step(s) }
          const lots = quoteContractsToBaseLots({ ...grid, contracts, priceTicks })
          if (lots === null) return
          // |lots·step·price − contracts·c| ≤ step·price / 2, in integers scaled by 10^(t+s+c scales)
          const sc = grid.contractSizeQuote
          const scale = grid.tick.scale + grid.step.scale + sc.scale
          const lotsQuote =
            BigInt(lots) * grid.step.mantissa * BigInt(priceTicks) * grid.tick.mantissa * 10n ** BigInt(sc.scale)
          const levelQuote = BigInt(contracts) * sc.mantissa * 10n ** BigInt(scale - sc.scale)
          const lotQuote = grid.step.mantissa * BigInt(priceTicks) * grid.tick.mantissa * 10n ** BigInt(sc.scale)
          const error = lotsQuote - levelQuote
          expect(2n * (error < 0n ? -error : error) <= lotQuote).toBe(true)
        },
      ),
      { numRuns: 1_000, seed: 20261207 },
    )
  })
})
