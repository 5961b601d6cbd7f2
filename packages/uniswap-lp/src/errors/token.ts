import { UniswapLpError } from './base.js'
import { formatValue } from './format.js'

export type InvalidDecimalsErrorType = InvalidDecimalsError & { name: 'InvalidDecimalsError' }

/** Token decimals are not an integer in [0, 255] (ERC-20 `decimals()` is a uint8). */
export class InvalidDecimalsError extends UniswapLpError {
  override name = 'InvalidDecimalsError' as const
  readonly field: string
  readonly value: unknown

  constructor({ field, value }: { field: string; value: unknown }) {
    super(`${field} = ${formatValue(value)} is not a valid ERC-20 decimals value (integer in [0, 255]).`, {
      code: 'INVALID_DECIMALS',
      metaMessages: [`Next: read ${field} from the token contract's decimals() (e.g. USDC 6, WETH 18).`],
    })
    this.field = field
    this.value = value
  }
}

export type InvalidPriceErrorType = InvalidPriceError & { name: 'InvalidPriceError' }

/** A human price is not a positive finite number or a positive decimal string. */
export class InvalidPriceError extends UniswapLpError {
  override name = 'InvalidPriceError' as const
  readonly field: string
  readonly value: unknown

  constructor({ field, value }: { field: string; value: unknown }) {
    super(`${field} = ${formatValue(value)} is not a positive finite price.`, {
      code: 'INVALID_PRICE',
      metaMessages: [`Next: pass ${field} as a positive decimal string (e.g. "3000.25") or a positive finite number.`],
    })
    this.field = field
    this.value = value
  }
}
