import { VenueSimError } from './base.js'

const docsPath =
  'https://github.com/alp-sdk/alp/blob/main/docs/venue-sim.md#part-i-local-chain-anvil--the-real-uniswap-v3-contracts'

export type AnvilBinaryNotFoundErrorType = AnvilBinaryNotFoundError & { name: 'AnvilBinaryNotFoundError' }

/** The anvil binary for this platform is not installed (`@foundry-rs/anvil-<platform>-<arch>`). */
export class AnvilBinaryNotFoundError extends VenueSimError {
  override name = 'AnvilBinaryNotFoundError'
  readonly packageName: string

  constructor({ packageName, cause }: { packageName: string; cause?: unknown }) {
    super(
      `The anvil binary package "${packageName}" is not installed for platform ${process.platform}/${process.arch}.`,
      {
        code: 'ANVIL_BINARY_NOT_FOUND',
        cause,
        docsPath,
        metaMessages: [
          `Looked for: ${packageName}/bin/anvil (an optional dependency of @foundry-rs/anvil).`,
          'Next: reinstall with optional dependencies included (never --no-optional), or pass `anvilPath` explicitly.',
        ],
      },
    )
    this.packageName = packageName
  }
}

export type AnvilStartErrorType = AnvilStartError & { name: 'AnvilStartError' }

/** anvil exited or did not answer RPC before the deadline. */
export class AnvilStartError extends VenueSimError {
  override name = 'AnvilStartError'
  readonly port: number
  readonly timeoutMs: number

  constructor({
    port,
    timeoutMs,
    reason,
    cause,
  }: { port: number; timeoutMs: number; reason: string; cause?: unknown }) {
    super(`anvil on 127.0.0.1:${port} did not become ready: ${reason}.`, {
      code: 'ANVIL_START_FAILED',
      cause,
      docsPath,
      metaMessages: [
        `Deadline: ${timeoutMs} ms.`,
        'Next: check the stderr lines in details; raise timeoutMs on a loaded machine.',
      ],
    })
    this.port = port
    this.timeoutMs = timeoutMs
  }
}

export type ChainRpcErrorType = ChainRpcError & { name: 'ChainRpcError' }

/** A JSON-RPC request to the local chain failed. */
export class ChainRpcError extends VenueSimError {
  override name = 'ChainRpcError'
  readonly method: string

  constructor({ method, cause }: { method: string; cause?: unknown }) {
    super(`Local chain RPC "${method}" failed.`, {
      code: 'CHAIN_RPC_FAILED',
      cause,
      docsPath,
      metaMessages: ['Next: check that the chain is still running (was stop() called?).'],
    })
    this.method = method
  }
}

export type ChainTransactionRevertedErrorType = ChainTransactionRevertedError & {
  name: 'ChainTransactionRevertedError'
}

/** A harness transaction was mined with status 0 or rejected by the node. */
export class ChainTransactionRevertedError extends VenueSimError {
  override name = 'ChainTransactionRevertedError'
  readonly label: string
  readonly reason: string | undefined
  readonly txHash: string | undefined

  constructor({ label, reason, txHash, cause }: { label: string; reason?: string; txHash?: string; cause?: unknown }) {
    super(`Local chain transaction "${label}" reverted${reason === undefined ? '' : `: ${reason}`}.`, {
      code: 'CHAIN_TRANSACTION_REVERTED',
      cause,
      docsPath,
      metaMessages: [
        ...(txHash === undefined ? [] : [`Transaction: ${txHash}`]),
        'Next: check balances, approvals and the pool price; debug_traceTransaction gives the full trace.',
      ],
    })
    this.label = label
    this.reason = reason
    this.txHash = txHash
  }
}

export type InvalidPoolParametersErrorType = InvalidPoolParametersError & { name: 'InvalidPoolParametersError' }

/** createPool was given an unusable fee tier, price or token pair. */
export class InvalidPoolParametersError extends VenueSimError {
  override name = 'InvalidPoolParametersError'
  readonly field: string
  readonly value: string

  constructor({ field, value, reason }: { field: string; value: string; reason: string }) {
    super(`Invalid pool parameter ${field} = ${value}: ${reason}.`, {
      code: 'INVALID_POOL_PARAMETERS',
      docsPath,
      metaMessages: ['Next: use fee 100, 500, 3000 or 10000 and a positive decimal price string or a sqrtPriceX96.'],
    })
    this.field = field
    this.value = value
  }
}
