import { UniswapLpError } from '../errors/base.js'

const docsPath = 'https://github.com/alp-sdk/alp/blob/main/docs/lp-manager.md'

export type ReorgTooDeepErrorType = ReorgTooDeepError & { name: 'ReorgTooDeepError' }

/** The chain reorganised below the oldest block hash the manager keeps: it cannot find the last common block. */
export class ReorgTooDeepError extends UniswapLpError {
  override name = 'ReorgTooDeepError' as const
  readonly processedBlock: number
  readonly oldestKeptBlock: number

  constructor(p: { processedBlock: number; oldestKeptBlock: number }) {
    super(`Reorg deeper than the kept window: no common block between ${p.oldestKeptBlock} and ${p.processedBlock}.`, {
      code: 'REORG_TOO_DEEP',
      docsPath,
      metaMessages: [
        'Nothing was applied.',
        'Next: raise reorgWindowBlocks or confirmations, and restart the manager without its checkpoint (positions are rediscovered from the chain).',
      ],
    })
    this.processedBlock = p.processedBlock
    this.oldestKeptBlock = p.oldestKeptBlock
  }
}

export type ChainMovedErrorType = ChainMovedError & { name: 'ChainMovedError' }

/** The chain changed while one sync step was reading it (a block hash differed between two reads, or a removed log). */
export class ChainMovedError extends UniswapLpError {
  override name = 'ChainMovedError' as const
  readonly blockNumber: number
  readonly retryable = true as const

  constructor(p: { blockNumber: number; reason: string }) {
    super(`The chain moved at block ${p.blockNumber} during a sync step (${p.reason}).`, {
      code: 'CHAIN_MOVED',
      docsPath,
      metaMessages: ['Nothing was applied.', 'Next: call step() again; the reorg check runs first.'],
    })
    this.blockNumber = p.blockNumber
  }
}

export type RpcReadErrorType = RpcReadError & { name: 'RpcReadError' }

/** A JSON-RPC read failed, timed out or answered something that is not a valid response. Always retryable. */
export class RpcReadError extends UniswapLpError {
  override name = 'RpcReadError' as const
  readonly method: string
  readonly retryable = true as const

  constructor(p: { method: string; reason: string; cause?: unknown }) {
    super(`RPC ${p.method} failed: ${p.reason}.`, {
      code: 'RPC_READ_FAILED',
      docsPath,
      cause: p.cause,
      metaMessages: ['Nothing was applied.', 'Next: the manager retries on its next step.'],
    })
    this.method = p.method
  }
}

export type LpManagerStateErrorType = LpManagerStateError & { name: 'LpManagerStateError' }

/** The manager was used out of order (a step before start) or its checkpoint cannot be read. */
export class LpManagerStateError extends UniswapLpError {
  override name = 'LpManagerStateError' as const

  constructor(p: { reason: string; next: string; cause?: unknown }) {
    super(`LP manager: ${p.reason}.`, {
      code: 'LP_MANAGER_STATE',
      docsPath,
      cause: p.cause,
      metaMessages: [`Next: ${p.next}`],
    })
  }
}
