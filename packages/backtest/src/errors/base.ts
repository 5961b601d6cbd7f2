/**
 * Root of every error thrown by `@alp/backtest`.
 *
 * The message is assembled from a one-sentence `shortMessage`, optional `details`, and `metaMessages`
 * (extra lines; the last one says what to do next). `code` is a stable SCREAMING_SNAKE identifier to branch on.
 */
export type BacktestErrorParameters = {
  code: string
  details?: string | undefined
  metaMessages?: readonly string[] | undefined
  docsPath?: string | undefined
  cause?: unknown
}

export type BacktestErrorType = BacktestError & { name: 'BacktestError' }

export class BacktestError extends Error {
  override name = 'BacktestError'
  readonly code: string
  readonly shortMessage: string
  readonly details: string | undefined
  readonly metaMessages: readonly string[]
  readonly docsPath: string | undefined

  constructor(shortMessage: string, parameters: BacktestErrorParameters) {
    const details =
      parameters.details ??
      (parameters.cause instanceof Error
        ? parameters.cause instanceof BacktestError
          ? parameters.cause.details
          : parameters.cause.message
        : undefined)
    const lines = [
      shortMessage,
      ...(parameters.metaMessages && parameters.metaMessages.length > 0 ? ['', ...parameters.metaMessages] : []),
      ...(details ? ['', `Details: ${details}`] : []),
      ...(parameters.docsPath ? [`Docs: ${parameters.docsPath}`] : []),
    ]
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause })
    this.code = parameters.code
    this.shortMessage = shortMessage
    this.details = details
    this.metaMessages = parameters.metaMessages ?? []
    this.docsPath = parameters.docsPath
  }

  /** Follows the `cause` chain and returns the first error matching `fn`, or the deepest error when `fn` is omitted. */
  walk(fn?: (error: unknown) => boolean): unknown {
    return walk(this, fn)
  }
}

function walk(error: unknown, fn?: (error: unknown) => boolean): unknown {
  if (fn?.(error)) return error
  if (error && typeof error === 'object' && 'cause' in error && error.cause !== undefined) return walk(error.cause, fn)
  return fn ? null : error
}
