import { formatScaled, parseDecimal } from '../../common/decimal.js'
import { InvalidDecimalError } from '../../errors/decimal.js'

/** Fractional digits kept when a USD amount is turned into base coin (10^-12 coin: far below any venue step). */
export const INVERSE_SIZE_BASE_DECIMALS = 12

export type InverseAmountUsdToSizeBaseErrorType = InvalidDecimalError

/**
 * Base-coin size of a USD amount on an inverse instrument at `price` (USD per coin): `amountUsd / price`, truncated
 * toward zero to 12 decimals and written without trailing zeros (`600 / 60000` → `"0.01"`). Truncation never reports
 * more coin than the USD is worth. Used for order sizes (at the limit price) and fills (at the fill price); positions use
 * the venue's own `size_currency`.
 * @throws InvalidDecimalError when an input is not a plain decimal or the price is not > 0.
 */
export function inverseAmountUsdToSizeBase(amountUsd: string, price: string): string {
  const amount = parseDecimal(amountUsd, 'amountUsd')
  const p = parseDecimal(price, 'price')
  if (p.mantissa <= 0n) throw new InvalidDecimalError({ field: 'price', value: price, rule: '> 0' })
  // (a·10^-x) / (p·10^-y) at 10^-D: a·10^(D+y) / (p·10^x), truncated toward zero
  const scaled =
    (amount.mantissa * 10n ** BigInt(INVERSE_SIZE_BASE_DECIMALS + p.scale)) / (p.mantissa * 10n ** BigInt(amount.scale))
  return trimZeros(formatScaled(scaled, INVERSE_SIZE_BASE_DECIMALS))
}

function trimZeros(decimal: string): string {
  if (!decimal.includes('.')) return decimal
  const trimmed = decimal.replace(/0+$/, '').replace(/\.$/, '')
  return trimmed === '-0' ? '0' : trimmed
}
