import { AlpError } from '@alp/internal-errors'

/**
 * Root of every error thrown by `@alp/runtime`.
 *
 * The message is assembled from a one-sentence `shortMessage`, optional `details`, and `metaMessages`
 * (extra lines; the last one says what to do next). `code` is a stable SCREAMING_SNAKE identifier to branch on.
 *
 * It extends the ALP error base (`@alp/internal-errors`, bundled into this build), so `instanceof` also matches an
 * error built by the package's other module format (ESM/CJS) or by another bundled copy of it.
 */
export type RuntimeErrorParameters = {
  code: string
  details?: string | undefined
  metaMessages?: readonly string[] | undefined
  docsPath?: string | undefined
  cause?: unknown
}

export type RuntimeErrorType = RuntimeError & { name: 'RuntimeError' }

// The shared base, typed here so that the published declarations stand alone (they never import the private package).
const ErrorBase: new (
  shortMessage: string,
  parameters: RuntimeErrorParameters,
) => Error & {
  readonly code: string
  readonly shortMessage: string
  readonly details: string | undefined
  readonly metaMessages: readonly string[]
  readonly docsPath: string | undefined
  /** Follows the `cause` chain and returns the first error matching `fn`, or the deepest error when `fn` is omitted. */
  walk(fn?: (error: unknown) => boolean): unknown
} = AlpError

export class RuntimeError extends ErrorBase {
  /** Scope of the `instanceof` brand; subclasses inherit it. */
  static readonly errorScope: string = '@alp/runtime'
  override name = 'RuntimeError'
}
