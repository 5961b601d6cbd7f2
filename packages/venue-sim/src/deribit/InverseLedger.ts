import { divRound } from '../matching/divRound.js'

/** Coin amounts are kept in 10^-8 units (satoshi for BTC); positions' coin entry value in 10^-16 units. */
export const COIN_DECIMALS = 8
const E8 = 10n ** 8n
/** usd · 10^24 / priceE8 = coin value of `usd` at that price in 10^-16 coin units. */
const COIN_E16_NUMERATOR = 10n ** 24n

/** One inverse position: signed USD size and the signed coin value it was opened at (Σ usd_i / price_i). */
export type InversePosition = {
  /** Signed USD amount: > 0 long, < 0 short. */
  sizeUsd: bigint
  /** Signed coin value at entry, 10^-16 coin units (same sign as `sizeUsd`). */
  entryCoinE16: bigint
  /** Realized PnL of this position so far, 10^-8 coin units, before fees. */
  cumRealizedE8: bigint
}

/** What one fill did to the account, in 10^-8 coin units. */
export type InverseFillResult = { feeE8: bigint; realizedE8: bigint }

/**
 * Coin-margined (inverse) bookkeeping for the Deribit emulator, the part the linear matching engine does not do:
 * sizes are USD, PnL and fees are coin. Long PnL = usd · (1/entry − 1/exit); the entry price of a position is the
 * harmonic mean |sizeUsd| / |entryCoin|. Rounding always goes against the account: fees up (ceil), realized and
 * unrealized PnL down (floor), each to 10^-8 coin.
 */
export class InverseLedger {
  private readonly wallets = new Map<string, bigint>()
  private readonly positions = new Map<string, InversePosition>()

  /** Sets an account's coin wallet (10^-8 units). */
  setWallet(accountId: string, coin: string, walletE8: bigint): void {
    this.wallets.set(`${accountId}\u0000${coin}`, walletE8)
  }

  walletE8(accountId: string, coin: string): bigint {
    return this.wallets.get(`${accountId}\u0000${coin}`) ?? 0n
  }

  position(accountId: string, symbol: string): Readonly<InversePosition> {
    return this.positions.get(`${accountId}\u0000${symbol}`) ?? { sizeUsd: 0n, entryCoinE16: 0n, cumRealizedE8: 0n }
  }

  /**
   * Books a fill of `signedUsd` (> 0 buy) at `priceE8` (10^-8 USD per coin) with a fee rate in ppm of the coin value.
   * The fee and the realized PnL of any closed part are settled into the coin wallet.
   */
  applyFill(input: {
    accountId: string
    symbol: string
    coin: string
    signedUsd: bigint
    priceE8: bigint
    feePpm: number
  }): InverseFillResult {
    const { accountId, symbol, coin, signedUsd, priceE8 } = input
    const key = `${accountId}\u0000${symbol}`
    const position = this.positions.get(key) ?? { sizeUsd: 0n, entryCoinE16: 0n, cumRealizedE8: 0n }
    const fillAbs = signedUsd < 0n ? -signedUsd : signedUsd
    // fee = |usd| / price · rate, in 10^-8 coin: |usd| · 10^8 · 10^8 · ppm / (priceE8 · 10^6), rounded up
    const feeE8 = divRound(fillAbs * E8 * E8 * BigInt(input.feePpm), priceE8 * 1_000_000n, 'ceil')
    let realizedE8 = 0n
    if (position.sizeUsd === 0n || position.sizeUsd < 0n === signedUsd < 0n) {
      position.sizeUsd += signedUsd
      position.entryCoinE16 += divRound(signedUsd * COIN_E16_NUMERATOR, priceE8, 'trunc')
    } else {
      const sizeAbs = position.sizeUsd < 0n ? -position.sizeUsd : position.sizeUsd
      const sign = position.sizeUsd < 0n ? -1n : 1n
      const closed = fillAbs < sizeAbs ? fillAbs : sizeAbs
      const removedE16 = divRound(position.entryCoinE16 * closed, sizeAbs, 'trunc')
      // long: closed/entry − closed/exit; short: closed/exit − closed/entry
      const realizedE16 = removedE16 - sign * divRound(closed * COIN_E16_NUMERATOR, priceE8, 'trunc')
      realizedE8 = divRound(realizedE16, E8, 'floor')
      position.entryCoinE16 -= removedE16
      position.sizeUsd += signedUsd
      position.cumRealizedE8 += realizedE8
      if (position.sizeUsd === 0n) position.entryCoinE16 = 0n
      else if (fillAbs > closed) {
        // flipped: the rest of the fill opens a new position at the fill price
        const rest = position.sizeUsd
        position.entryCoinE16 = divRound(rest * COIN_E16_NUMERATOR, priceE8, 'trunc')
      }
    }
    this.positions.set(key, position)
    const walletKey = `${accountId}\u0000${coin}`
    this.wallets.set(walletKey, (this.wallets.get(walletKey) ?? 0n) + realizedE8 - feeE8)
    return { feeE8, realizedE8 }
  }
}

/** Coin value of a signed USD amount at `priceE8`, 10^-8 coin units, truncated toward zero (Deribit `size_currency`). */
export function usdToCoinE8(signedUsd: bigint, priceE8: bigint): bigint {
  return divRound(signedUsd * E8 * E8, priceE8, 'trunc')
}

/** Unrealized PnL at `markE8` (entryCoin − size/mark), 10^-8 coin units, rounded down. */
export function inverseUnrealizedE8(position: Readonly<InversePosition>, markE8: bigint): bigint {
  if (position.sizeUsd === 0n) return 0n
  const markCoinE16 = divRound(position.sizeUsd * COIN_E16_NUMERATOR, markE8, 'trunc')
  return divRound(position.entryCoinE16 - markCoinE16, E8, 'floor')
}

/** Harmonic entry price |size| / |entryCoin| in 10^-8 USD per coin (truncated); 0 when flat. */
export function inverseEntryPriceE8(position: Readonly<InversePosition>): bigint {
  if (position.sizeUsd === 0n || position.entryCoinE16 === 0n) return 0n
  const size = position.sizeUsd < 0n ? -position.sizeUsd : position.sizeUsd
  const coin = position.entryCoinE16 < 0n ? -position.entryCoinE16 : position.entryCoinE16
  return divRound(size * COIN_E16_NUMERATOR, coin, 'trunc')
}
