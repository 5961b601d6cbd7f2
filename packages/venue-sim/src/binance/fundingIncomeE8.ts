import type { Instrument } from '../matching/types.js'

/**
 * Funding income of one position at one funding time, in 10^-8 of the margin asset: −(signed size × mark price × rate). Binance:
 * "Funding Amount = Nominal Value of Positions × Funding Rate"; a positive rate means longs pay and shorts receive. Binance prints
 * income with 8 decimals and does not document the rounding; the exact product is rounded to the nearest 10^-8, half away from
 * zero.
 */
export function fundingIncomeE8(lots: bigint, inst: Instrument, markPriceE8: bigint, rateE8: bigint): bigint {
  // size in 10^-qtyDecimals units × price 10^-8 × rate 10^-8 → 10^-(qtyDecimals + 16); keep 10^-8.
  const exact = lots * inst.stepUnits * markPriceE8 * rateE8
  const divisor = 10n ** BigInt(inst.qtyDecimals + 8)
  const magnitude = exact < 0n ? -exact : exact
  const rounded = (magnitude + divisor / 2n) / divisor
  return exact > 0n ? -rounded : rounded
}
