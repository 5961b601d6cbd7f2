import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidDecimalError } from '../../errors/decimal.js'
import { DeribitAmountBelowMinimumError } from '../../errors/deribit.js'
import { sizeBaseToInverseAmountUsd } from './sizeBaseToInverseAmountUsd.js'

// Deribit: inverse perpetuals/futures take `amount` in USD, a multiple of contract_size (BTC-PERPETUAL 10, ETH-PERPETUAL 1).
// Expected amounts are computed by hand: sizeBase · price, rounded DOWN to a whole number of contracts.
const BTC = { instrumentName: 'BTC-PERPETUAL', contractSizeUsd: '10', minTradeAmountUsd: '10' }
const ETH = { instrumentName: 'ETH-PERPETUAL', contractSizeUsd: '1', minTradeAmountUsd: '1' }

describe('sizeBaseToInverseAmountUsd', () => {
  it('0.01 BTC at 60 000 = 600 USD exactly = 60 contracts', () => {
    expect(sizeBaseToInverseAmountUsd({ ...BTC, sizeBase: '0.01', price: '60000' })).toEqual({
      amountUsd: '600',
      contracts: 60n,
    })
  })

  it('rounds DOWN to the contract: 0.0123 BTC at 60 000.5 = 738.00615 USD → 730 USD (73 contracts)', () => {
    expect(sizeBaseToInverseAmountUsd({ ...BTC, sizeBase: '0.0123', price: '60000.5' })).toEqual({
      amountUsd: '730',
      contracts: 73n,
    })
  })

  it('ETH-PERPETUAL (1 USD contracts): 0.5 ETH at 3000.05 = 1500.025 USD → 1500', () => {
    expect(sizeBaseToInverseAmountUsd({ ...ETH, sizeBase: '0.5', price: '3000.05' }).amountUsd).toBe('1500')
  })

  it('below min_trade_amount after rounding down: 0.0001 BTC at 60 000 = 6 USD → typed error naming the values', () => {
    const call = () => sizeBaseToInverseAmountUsd({ ...BTC, sizeBase: '0.0001', price: '60000' })
    expect(call).toThrow(DeribitAmountBelowMinimumError)
    expect(call).toThrow(/0\.0001 at price 60000 is 0 USD .* below min_trade_amount 10 USD/)
    // a minimum above one contract: 2 contracts of 10 = 20 USD < 30 USD
    expect(() =>
      sizeBaseToInverseAmountUsd({ ...BTC, minTradeAmountUsd: '30', sizeBase: '0.0005', price: '50000' }),
    ).toThrow(DeribitAmountBelowMinimumError)
  })

  it('rejects zero, negative and non-decimal inputs', () => {
    expect(() => sizeBaseToInverseAmountUsd({ ...BTC, sizeBase: '0', price: '60000' })).toThrow(InvalidDecimalError)
    expect(() => sizeBaseToInverseAmountUsd({ ...BTC, sizeBase: '-0.1', price: '60000' })).toThrow(InvalidDecimalError)
    expect(() => sizeBaseToInverseAmountUsd({ ...BTC, sizeBase: '1e-3', price: '60000' })).toThrow(InvalidDecimalError)
  })

  it('property: the USD sent is a multiple of the contract, ≤ sizeBase·price, and one more contract would exceed it', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 10 }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.integer({ min: 0, max: 4 }),
        (sizeUnits, sizeScale, priceUnits, priceScale) => {
          const text = (units: bigint, scale: number) => {
            const s = units.toString().padStart(scale + 1, '0')
            return scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`
          }
          const sizeBase = text(sizeUnits, sizeScale)
          const price = text(priceUnits, priceScale)
          // exact value of size·price in units of 10^-(sizeScale+priceScale) USD
          const valueUnits = sizeUnits * priceUnits
          const scale = 10n ** BigInt(sizeScale + priceScale)
          let result: { amountUsd: string; contracts: bigint }
          try {
            result = sizeBaseToInverseAmountUsd({ ...BTC, sizeBase, price })
          } catch (error) {
            expect(error).toBeInstanceOf(DeribitAmountBelowMinimumError)
            expect(valueUnits < 10n * scale).toBe(true)
            return
          }
          expect(BigInt(result.amountUsd)).toBe(result.contracts * 10n)
          expect(result.contracts * 10n * scale <= valueUnits).toBe(true)
          expect((result.contracts + 1n) * 10n * scale > valueUnits).toBe(true)
        },
      ),
    )
  })
})
