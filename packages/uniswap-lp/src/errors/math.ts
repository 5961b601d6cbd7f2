import { UniswapLpError } from './base.js'

export type MathOverflowErrorType = MathOverflowError & { name: 'MathOverflowError' }

/**
 * A fixed-width integer operation overflowed or divided by zero where the Solidity contract would revert.
 * `operation` names the v3 library function (e.g. `FullMath.mulDiv`), `reason` the broken rule.
 */
export class MathOverflowError extends UniswapLpError {
  override name = 'MathOverflowError' as const
  readonly operation: string
  readonly reason: string

  constructor({ operation, reason }: { operation: string; reason: string }) {
    super(`${operation} reverted: ${reason}.`, {
      code: 'MATH_OVERFLOW',
      metaMessages: ['Next: check the inputs; the on-chain contract would revert with the same inputs.'],
    })
    this.operation = operation
    this.reason = reason
  }
}
