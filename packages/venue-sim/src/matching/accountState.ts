import { divRound } from './divRound.js'
import { minBigint } from './minBigint.js'
import type { Instrument } from './types.js'

/** Wallet of one asset: `walletE8` is the balance; `lockedE8` is held by open spot orders. */
export type AssetBalance = { walletE8: bigint; lockedE8: bigint }

/** One-way (BOTH) perp position. `entryCostE8` is signed like `lots`: the entry notional still open. */
export type PerpPosition = {
  symbol: string
  lots: bigint
  entryCostE8: bigint
  cumRealizedPnlE8: bigint
  updatedTsMs: number
}

export type AccountState = {
  accountId: string
  balances: Map<string, AssetBalance>
  positions: Map<string, PerpPosition>
}

export function getBalance(account: AccountState, asset: string): AssetBalance {
  let balance = account.balances.get(asset)
  if (!balance) {
    balance = { walletE8: 0n, lockedE8: 0n }
    account.balances.set(asset, balance)
  }
  return balance
}

export function getPosition(account: AccountState, symbol: string): PerpPosition {
  let position = account.positions.get(symbol)
  if (!position) {
    position = { symbol, lots: 0n, entryCostE8: 0n, cumRealizedPnlE8: 0n, updatedTsMs: 0 }
    account.positions.set(symbol, position)
  }
  return position
}

/**
 * Applies a perp fill of `signedLots` (positive = buy) at `priceTicks` to a one-way position and returns the realized PnL (before fees).
 * Closing part: realized = sign(position) × closeNotional − (entry cost of the closed part, entryCost × closed / |lots| truncated).
 */
export function applyPerpFill(
  position: PerpPosition,
  signedLots: bigint,
  priceTicks: bigint,
  instrument: Instrument,
): bigint {
  const fillAbs = signedLots < 0n ? -signedLots : signedLots
  const fillSign = signedLots < 0n ? -1n : 1n
  if (position.lots === 0n || position.lots < 0n === signedLots < 0n) {
    position.lots += signedLots
    position.entryCostE8 += fillSign * priceTicks * fillAbs * instrument.notionalFactor
    return 0n
  }
  const positionAbs = position.lots < 0n ? -position.lots : position.lots
  const positionSign = position.lots < 0n ? -1n : 1n
  const closed = minBigint(fillAbs, positionAbs)
  const removedCost = divRound(position.entryCostE8 * closed, positionAbs, 'trunc')
  const realized = positionSign * priceTicks * closed * instrument.notionalFactor - removedCost
  position.entryCostE8 -= removedCost
  position.lots += signedLots
  position.cumRealizedPnlE8 += realized
  if (position.lots === 0n) position.entryCostE8 = 0n
  else if (fillAbs > closed) {
    // Flipped: the rest of the fill opens a new position at the fill price.
    position.entryCostE8 = fillSign * priceTicks * (fillAbs - closed) * instrument.notionalFactor
  }
  return realized
}

/** Entry price in 10^-8 quote units per base unit (truncated), or 0 when flat. */
export function entryPriceE8(position: PerpPosition, instrument: Instrument): bigint {
  if (position.lots === 0n) return 0n
  const baseE8 = position.lots * instrument.stepUnits * 10n ** BigInt(8 - instrument.qtyDecimals)
  return divRound(position.entryCostE8 * 10n ** 8n, baseE8, 'trunc')
}

/** Signed notional of `lots` at a price given in 10^-8 quote units per base unit (truncated toward zero). */
export function notionalAtPriceE8(lots: bigint, priceE8: bigint, instrument: Instrument): bigint {
  return divRound(lots * instrument.stepUnits * priceE8, 10n ** BigInt(instrument.qtyDecimals), 'trunc')
}
