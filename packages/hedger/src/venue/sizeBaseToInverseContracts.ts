import type { DecimalStep } from './decimalTicks.js'
import { parseDecimalString } from './decimalTicks.js'

/**
 * Whole contracts of an inverse-instrument order for a base size at its price, rounded DOWN:
 * `floor(sizeBase · price / contractSize)`. The same rule as the Deribit connector's `sizeBaseToInverseAmountUsd`
 * (what it sends for the hedger's `sizeBase`), so the adapter can tell whether a venue order's USD amount is the one our
 * own size produced. Exact on scaled integers.
 * @returns the contracts (≥ 0 for a size ≥ 0), or `null` when an input is not a plain decimal or the price is not > 0.
 */
export function sizeBaseToInverseContracts(sizeBase: string, price: string, contractSize: DecimalStep): bigint | null {
  const size = parseDecimalString(sizeBase)
  const p = parseDecimalString(price)
  if (!size || !p || p.mantissa <= 0n) return null
  // (s·10^-a)(p·10^-b) / (c·10^-g) = s·p·10^g / (c·10^(a+b)); floor for size ≥ 0
  const numerator = size.mantissa * p.mantissa * 10n ** BigInt(contractSize.scale)
  const denominator = contractSize.mantissa * 10n ** BigInt(size.scale + p.scale)
  const quotient = numerator / denominator
  return numerator < 0n && quotient * denominator !== numerator ? quotient - 1n : quotient
}
