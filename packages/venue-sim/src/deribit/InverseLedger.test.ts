import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InverseLedger, inverseEntryPriceE8, inverseUnrealizedE8, usdToCoinE8 } from './InverseLedger.js'

// Inverse (coin-margined) contract arithmetic, expected values computed by hand:
// a long of U USD from price a to price b earns U/a − U/b coin; a short earns U/b − U/a; fee = U/price · rate.
const E8 = 100_000_000n
const price = (usd: number) => BigInt(usd) * E8

describe('InverseLedger', () => {
  it('long 1000 USD at 50 000 then sold at 62 500: fee 0.00001 BTC (5 bps taker), realized 0.02 − 0.016 = 0.004 BTC', () => {
    const ledger = new InverseLedger()
    ledger.setWallet('a', 'BTC', 1n * E8)
    const open = ledger.applyFill({
      accountId: 'a',
      symbol: 'BTC-PERPETUAL',
      coin: 'BTC',
      signedUsd: 1000n,
      priceE8: price(50_000),
      feePpm: 500,
    })
    // 1000 / 50000 = 0.02 BTC; · 0.0005 = 0.00001 BTC = 1000 sat
    expect(open).toEqual({ feeE8: 1000n, realizedE8: 0n })
    expect(ledger.position('a', 'BTC-PERPETUAL')).toEqual({
      sizeUsd: 1000n,
      entryCoinE16: 2n * 10n ** 14n, // 0.02 BTC
      cumRealizedE8: 0n,
    })
    expect(inverseEntryPriceE8(ledger.position('a', 'BTC-PERPETUAL'))).toBe(price(50_000))
    // mark 62 500: uPnL = 0.02 − 1000/62500 = 0.004 BTC
    expect(inverseUnrealizedE8(ledger.position('a', 'BTC-PERPETUAL'), price(62_500))).toBe(400_000n)
    const close = ledger.applyFill({
      accountId: 'a',
      symbol: 'BTC-PERPETUAL',
      coin: 'BTC',
      signedUsd: -1000n,
      priceE8: price(62_500),
      feePpm: 0,
    })
    expect(close).toEqual({ feeE8: 0n, realizedE8: 400_000n })
    // 1 BTC − 0.00001 + 0.004 = 1.00399 BTC
    expect(ledger.walletE8('a', 'BTC')).toBe(100_399_000n)
    expect(ledger.position('a', 'BTC-PERPETUAL')).toEqual({ sizeUsd: 0n, entryCoinE16: 0n, cumRealizedE8: 400_000n })
  })

  it('a short earns when the price falls: sell 300 at 60 000, buy back at 50 000 → 300/50000 − 300/60000 = 0.001 BTC', () => {
    const ledger = new InverseLedger()
    const args = { accountId: 'a', symbol: 'BTC-27DEC24', coin: 'BTC', feePpm: 0 }
    ledger.applyFill({ ...args, signedUsd: -300n, priceE8: price(60_000) })
    // mark 50 000 before closing: the same 0.001 BTC unrealized
    expect(inverseUnrealizedE8(ledger.position('a', 'BTC-27DEC24'), price(50_000))).toBe(100_000n)
    expect(ledger.applyFill({ ...args, signedUsd: 300n, priceE8: price(50_000) }).realizedE8).toBe(100_000n)
  })

  it('rounds against the account: 10 USD at 60 000 pays ceil(8.33) = 9 sat, 10/60000 − 10/70000 = 2380.95 → 2380 sat', () => {
    const ledger = new InverseLedger()
    const args = { accountId: 'a', symbol: 'BTC-PERPETUAL', coin: 'BTC' }
    expect(ledger.applyFill({ ...args, signedUsd: 10n, priceE8: price(60_000), feePpm: 500 }).feeE8).toBe(9n)
    expect(ledger.applyFill({ ...args, signedUsd: -10n, priceE8: price(70_000), feePpm: 0 }).realizedE8).toBe(2380n)
    // a loss rounds down too: buy 10 at 70 000, sell at 60 000 → −2380.95 → −2381 sat
    ledger.applyFill({ ...args, signedUsd: 10n, priceE8: price(70_000), feePpm: 0 })
    expect(ledger.applyFill({ ...args, signedUsd: -10n, priceE8: price(60_000), feePpm: 0 }).realizedE8).toBe(-2381n)
  })

  it('a fill through zero closes at the fill price and opens the rest there: long 100 at 50 000, sell 300 at 40 000', () => {
    const ledger = new InverseLedger()
    const args = { accountId: 'a', symbol: 'ETH-PERPETUAL', coin: 'ETH', feePpm: 0 }
    ledger.applyFill({ ...args, signedUsd: 100n, priceE8: price(50_000) })
    // 100/50000 − 100/40000 = 0.002 − 0.0025 = −0.0005
    expect(ledger.applyFill({ ...args, signedUsd: -300n, priceE8: price(40_000) }).realizedE8).toBe(-50_000n)
    const position = ledger.position('a', 'ETH-PERPETUAL')
    expect(position.sizeUsd).toBe(-200n)
    expect(inverseEntryPriceE8(position)).toBe(price(40_000))
  })

  it('size_currency = size / mark, truncated (Deribit docs example: 50 USD at mark 7476.65 → 0.006687487…)', () => {
    expect(usdToCoinE8(50n, 747_665_000_000n)).toBe(668_748n)
    expect(usdToCoinE8(-50n, 747_665_000_000n)).toBe(-668_748n)
  })

  it('property: opening and closing at the same price realizes nothing and leaves the position flat', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 7n }),
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.boolean(),
        (usd, priceE8, long) => {
          const ledger = new InverseLedger()
          const args = { accountId: 'a', symbol: 'BTC-PERPETUAL', coin: 'BTC', priceE8, feePpm: 0 }
          ledger.applyFill({ ...args, signedUsd: long ? usd : -usd })
          const close = ledger.applyFill({ ...args, signedUsd: long ? -usd : usd })
          expect(close.realizedE8).toBe(0n)
          expect(ledger.position('a', 'BTC-PERPETUAL').sizeUsd).toBe(0n)
        },
      ),
    )
  })
})
