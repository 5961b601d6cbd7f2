import { sizeBaseToInverseAmountUsd } from '@alp/exchange-connectors'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatGridUnits, toDecimalStep } from './decimalTicks.js'
import { sizeBaseToInverseContracts } from './sizeBaseToInverseContracts.js'

const ONE = toDecimalStep('1')
const TEN = toDecimalStep('10')
if (!ONE || !TEN) throw new Error('bad step')

describe('sizeBaseToInverseContracts (what the Deribit connector sends for a base size: floor)', () => {
  it('by hand', () => {
    // 0.3 ETH at 2684.95 = 805.485 USD → 805 contracts of 1 USD
    expect(sizeBaseToInverseContracts('0.3', '2684.95', ONE)).toBe(805n)
    // 0.0123 BTC at 60000.5 = 738.00615 USD → 73 contracts of 10 USD
    expect(sizeBaseToInverseContracts('0.0123', '60000.5', TEN)).toBe(73n)
    expect(sizeBaseToInverseContracts('0.0001', '60000.5', TEN)).toBe(0n)
  })
  it('null for a non-decimal or a non-positive price', () => {
    expect(sizeBaseToInverseContracts('0.3', '0', ONE)).toBeNull()
    expect(sizeBaseToInverseContracts('x', '2684.95', ONE)).toBeNull()
  })
  it('property: the same contracts as the connector’s sizeBaseToInverseAmountUsd', () => {
    const lot = toDecimalStep('0.0001')
    const tick = toDecimalStep('0.05')
    if (!lot || !tick) throw new Error('bad step')
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 4_000_000 }),
        fc.constantFrom('1', '10'),
        (lots, priceTicks, contract) => {
          const sizeBase = formatGridUnits(lots, lot)
          const price = formatGridUnits(priceTicks, tick)
          const contractSize = contract === '1' ? ONE : TEN
          const ours = sizeBaseToInverseContracts(sizeBase, price, contractSize)
          if (ours === 0n) return // the connector refuses zero contracts
          const theirs = sizeBaseToInverseAmountUsd({
            instrumentName: 'X-PERPETUAL',
            sizeBase,
            price,
            contractSizeUsd: contract,
            minTradeAmountUsd: contract,
          })
          expect(ours).toBe(theirs.contracts)
        },
      ),
      { numRuns: 500, seed: 20261207 },
    )
  })
})
