import { BacktestError } from './base.js'

/**
 * The simulated pool refused an operation for the same reason the UniswapV3Pool contract reverts, with the contract's
 * own revert string in `revertReason` ('AS', 'SPL', 'LOK', 'TLU', 'TLM', 'TUM', 'LO', 'NP', 'AI', 'LS', 'M0' …).
 */
export type PoolRevertErrorType = PoolRevertError & { name: 'PoolRevertError' }

export class PoolRevertError extends BacktestError {
  override name = 'PoolRevertError' as const
  readonly revertReason: string
  readonly operation: string

  constructor({
    operation,
    revertReason,
    field,
    value,
  }: {
    operation: string
    revertReason: string
    field: string
    value: string
  }) {
    super(`Pool ${operation} reverted with '${revertReason}': ${field} = ${value}.`, {
      code: 'POOL_REVERT',
      metaMessages: [
        `operation: ${operation}`,
        `field: ${field}`,
        `value: ${value}`,
        'Next: the real UniswapV3Pool reverts the same call; fix the operation before replaying it.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#pool-simulator',
    })
    this.revertReason = revertReason
    this.operation = operation
  }
}
