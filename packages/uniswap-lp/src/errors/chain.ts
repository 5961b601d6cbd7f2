import { UniswapLpError } from './base.js'

// Chain errors never carry private keys, signed transactions or keystore contents: only addresses, hashes, amounts.
const docsPath =
  'https://github.com/alp-sdk/alp/blob/main/docs/uniswap-lp.md#part-ii-on-chain-ethers-v6-pool-reader-and-guarded-executor'

export type WrongChainErrorType = WrongChainError & { name: 'WrongChainError' }

/** The RPC endpoint serves a different chain than the one the executor was configured for. */
export class WrongChainError extends UniswapLpError {
  override name = 'WrongChainError' as const
  readonly expectedChainId: bigint
  readonly actualChainId: bigint

  constructor({ expectedChainId, actualChainId }: { expectedChainId: bigint; actualChainId: bigint }) {
    super(`Wrong chain: the RPC endpoint reports chainId ${actualChainId}, expected ${expectedChainId}.`, {
      code: 'WRONG_CHAIN',
      docsPath,
      metaMessages: ['Nothing was sent.', 'Next: point the provider at the right network or fix expectedChainId.'],
    })
    this.expectedChainId = expectedChainId
    this.actualChainId = actualChainId
  }
}

export type TwapDeviationErrorType = TwapDeviationError & { name: 'TwapDeviationError' }

/** The pool's spot tick is too far from its TWAP tick: the pool may be manipulated, so the executor refuses to act. */
export class TwapDeviationError extends UniswapLpError {
  override name = 'TwapDeviationError' as const
  readonly spotTick: number
  readonly twapTick: number
  readonly windowSec: number
  readonly maxDeviationTicks: number

  constructor(p: { spotTick: number; twapTick: number; windowSec: number; maxDeviationTicks: number }) {
    super(
      `Spot tick ${p.spotTick} deviates from the ${p.windowSec}s TWAP tick ${p.twapTick} by ${Math.abs(p.spotTick - p.twapTick)} ticks (max ${p.maxDeviationTicks}).`,
      {
        code: 'TWAP_DEVIATION',
        docsPath,
        metaMessages: [
          'Nothing was sent.',
          'Next: wait for the price to settle (or for the TWAP to catch up) and retry.',
        ],
      },
    )
    this.spotTick = p.spotTick
    this.twapTick = p.twapTick
    this.windowSec = p.windowSec
    this.maxDeviationTicks = p.maxDeviationTicks
  }
}

export type TwapUnavailableErrorType = TwapUnavailableError & { name: 'TwapUnavailableError' }

/** `observe()` cannot answer for the requested window (too few observations stored: the pool reverts with 'OLD'). */
export class TwapUnavailableError extends UniswapLpError {
  override name = 'TwapUnavailableError' as const
  readonly pool: string
  readonly windowSec: number

  constructor({ pool, windowSec, cause }: { pool: string; windowSec: number; cause?: unknown }) {
    super(`Pool ${pool} cannot give a ${windowSec}s TWAP.`, {
      code: 'TWAP_UNAVAILABLE',
      cause,
      docsPath,
      metaMessages: [
        'Nothing was sent.',
        'Next: call increaseObservationCardinalityNext on the pool and wait a full window, or shorten the window.',
      ],
    })
    this.pool = pool
    this.windowSec = windowSec
  }
}

export type SlippageExceededErrorType = SlippageExceededError & { name: 'SlippageExceededError' }

/** The contract refused the minimum amounts derived from the slippage tolerance: the price moved since the plan. */
export class SlippageExceededError extends UniswapLpError {
  override name = 'SlippageExceededError' as const
  readonly action: string
  readonly reason: string
  readonly slippageBps: number

  constructor({
    action,
    reason,
    slippageBps,
    cause,
  }: { action: string; reason: string; slippageBps: number; cause?: unknown }) {
    super(`${action}: slippage tolerance of ${slippageBps} bps exceeded (${reason}).`, {
      code: 'SLIPPAGE_EXCEEDED',
      cause,
      docsPath,
      metaMessages: ['Caught in the eth_call dry run or the mined transaction.', 'Next: re-plan at the current price.'],
    })
    this.action = action
    this.reason = reason
    this.slippageBps = slippageBps
  }
}

export type TransactionRevertedErrorType = TransactionRevertedError & { name: 'TransactionRevertedError' }

/**
 * The dry run reverted, the node refused the signed transaction, or the mined transaction reverted; `reason` is the
 * decoded revert string, custom error or node message.
 */
export class TransactionRevertedError extends UniswapLpError {
  override name = 'TransactionRevertedError' as const
  readonly action: string
  readonly reason: string
  readonly txHash: string | undefined
  readonly stage: 'dry-run' | 'broadcast' | 'mined'

  constructor(p: {
    action: string
    reason: string
    stage: 'dry-run' | 'broadcast' | 'mined'
    txHash?: string
    cause?: unknown
  }) {
    const where = {
      'dry-run': 'eth_call dry run',
      broadcast: 'broadcast (the node refused it)',
      mined: 'mined transaction',
    }
    super(`${p.action} failed in the ${where[p.stage]}: ${p.reason}.`, {
      code: 'TRANSACTION_REVERTED',
      cause: p.cause,
      docsPath,
      metaMessages: [
        ...(p.txHash === undefined ? ['Nothing was mined.'] : [`Transaction: ${p.txHash}`]),
        'Next: read the reason; check balances, approvals, range and deadline.',
      ],
    })
    this.action = p.action
    this.reason = p.reason
    this.txHash = p.txHash
    this.stage = p.stage
  }
}

export type TransactionTimeoutErrorType = TransactionTimeoutError & { name: 'TransactionTimeoutError' }

/** A broadcast transaction has no receipt before the deadline: its fate is unknown (it may still be mined). */
export class TransactionTimeoutError extends UniswapLpError {
  override name = 'TransactionTimeoutError' as const
  readonly txHash: string
  readonly timeoutMs: number

  constructor({ txHash, timeoutMs }: { txHash: string; timeoutMs: number }) {
    super(`No receipt for ${txHash} within ${timeoutMs} ms: the outcome is unknown.`, {
      code: 'TRANSACTION_TIMEOUT',
      docsPath,
      metaMessages: [
        'Never resend blindly.',
        'Next: look the hash up; replace it with the same nonce only if it is still pending.',
      ],
    })
    this.txHash = txHash
    this.timeoutMs = timeoutMs
  }
}

export type InsufficientBalanceErrorType = InsufficientBalanceError & { name: 'InsufficientBalanceError' }

/** The signer holds less of a token than the action needs. */
export class InsufficientBalanceError extends UniswapLpError {
  override name = 'InsufficientBalanceError' as const
  readonly token: string
  readonly account: string
  readonly requiredRaw: bigint
  readonly availableRaw: bigint

  constructor(p: { token: string; account: string; requiredRaw: bigint; availableRaw: bigint }) {
    super(
      `Insufficient balance of token ${p.token} in ${p.account}: need ${p.requiredRaw}, have ${p.availableRaw} (base units).`,
      {
        code: 'INSUFFICIENT_BALANCE',
        docsPath,
        metaMessages: ['Nothing was sent.', 'Next: fund the account or plan smaller amounts.'],
      },
    )
    this.token = p.token
    this.account = p.account
    this.requiredRaw = p.requiredRaw
    this.availableRaw = p.availableRaw
  }
}

export type SignerConfigErrorType = SignerConfigError & { name: 'SignerConfigError' }

/**
 * The signer cannot be created: missing or malformed key, wrong keystore password. Never includes the key, the
 * password or the keystore contents; the cause is dropped when it could echo them.
 */
export class SignerConfigError extends UniswapLpError {
  override name = 'SignerConfigError' as const
  readonly source: string

  constructor({ source, problem }: { source: string; problem: string }) {
    super(`Cannot load the signer from ${source}: ${problem}.`, {
      code: 'SIGNER_CONFIG',
      docsPath,
      metaMessages: [
        'Next: set a 0x-prefixed 32-byte hex private key, or pass an encrypted JSON keystore and its password.',
      ],
    })
    this.source = source
  }
}

export type UnknownPoolLogErrorType = UnknownPoolLogError & { name: 'UnknownPoolLogError' }

/** A log whose first topic is not one of the pool events the decoder knows. */
export class UnknownPoolLogError extends UniswapLpError {
  override name = 'UnknownPoolLogError' as const
  readonly topic0: string | undefined

  constructor({ topic0, cause }: { topic0: string | undefined; cause?: unknown }) {
    super(`Unknown or malformed Uniswap v3 pool log (topic0 ${topic0 ?? 'missing'}).`, {
      code: 'UNKNOWN_POOL_LOG',
      cause,
      docsPath,
      metaMessages: ['Next: filter logs by the Swap/Mint/Burn/Collect topics before decoding.'],
    })
    this.topic0 = topic0
  }
}

export type ChainReadErrorType = ChainReadError & { name: 'ChainReadError' }

/** An eth_call or RPC read failed (node down, wrong address, not a pool). */
export class ChainReadError extends UniswapLpError {
  override name = 'ChainReadError' as const
  readonly what: string
  readonly address: string

  constructor({ what, address, cause }: { what: string; address: string; cause?: unknown }) {
    super(`Reading ${what} from ${address} failed.`, {
      code: 'CHAIN_READ_FAILED',
      cause,
      docsPath,
      metaMessages: ['Next: check the RPC endpoint and that the address is the contract you expect.'],
    })
    this.what = what
    this.address = address
  }
}
