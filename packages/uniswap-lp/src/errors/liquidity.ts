import { UniswapLpError } from './base.js'
import { formatValue } from './format.js'

export type ZeroLiquidityErrorType = ZeroLiquidityError & { name: 'ZeroLiquidityError' }

/** Liquidity is zero (or negative) where the pool requires it to be positive. */
export class ZeroLiquidityError extends UniswapLpError {
  override name = 'ZeroLiquidityError' as const
  readonly field: string
  readonly value: bigint

  constructor({ field, value, next }: { field: string; value: bigint; next?: string }) {
    super(`${field} = ${value}n must be > 0.`, {
      code: 'ZERO_LIQUIDITY',
      metaMessages: [`Next: ${next ?? `pass a positive ${field}; a zero-liquidity position cannot be minted.`}`],
    })
    this.field = field
    this.value = value
  }
}

export type InvalidAmountErrorType = InvalidAmountError & { name: 'InvalidAmountError' }

/** A raw token amount or liquidity is negative, not a bigint, or exceeds its Solidity width. */
export class InvalidAmountError extends UniswapLpError {
  override name = 'InvalidAmountError' as const
  readonly field: string
  readonly value: unknown
  readonly rule: string

  constructor({ field, value, rule }: { field: string; value: unknown; rule: string }) {
    super(`Invalid ${field}: ${formatValue(value)} (must be ${rule}).`, {
      code: 'INVALID_AMOUNT',
      metaMessages: [`Next: pass ${field} as a bigint in token base units that is ${rule}.`],
    })
    this.field = field
    this.value = value
    this.rule = rule
  }
}
