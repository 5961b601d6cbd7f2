import { ModelsError } from './base.js'

export type GlftPrecisionLossErrorType = GlftPrecisionLossError & { name: 'GlftPrecisionLossError' }

/**
 * The exact GLFT value vector is too small at some inventory for its ratio to be trusted: the estimated relative
 * rounding error of `v_q` exceeds the tolerance, so a quote computed from it could be wrong by more than the tolerance.
 * Thrown instead of returning a silently inaccurate quote.
 */
export class GlftPrecisionLossError extends ModelsError {
  override name = 'GlftPrecisionLossError' as const
  /** Inventory (lots) whose value entry is unreliable. */
  readonly inventoryLots: number
  /** Estimated relative error of `v_q` (dimensionless). */
  readonly relativeErrorBound: number
  /** The largest relative error accepted (dimensionless). */
  readonly tolerance: number

  constructor({
    inventoryLots,
    relativeErrorBound,
    tolerance,
    cause,
  }: { inventoryLots: number; relativeErrorBound: number; tolerance: number; cause?: unknown }) {
    super(
      `GLFT exact solution lost precision at inventoryLots = ${inventoryLots} (estimated relative error ${relativeErrorBound.toExponential(2)} > ${tolerance}).`,
      {
        code: 'GLFT_PRECISION_LOSS',
        cause,
        metaMessages: [
          'The value function v_q is many orders of magnitude below its maximum at this inventory, so its ratio to a neighbour is dominated by rounding.',
          'Next: lower maxInventoryLots (inventories where v_q is this small are practically never reached), or use getAsymptoticQuoteTable() for long horizons.',
        ],
      },
    )
    this.inventoryLots = inventoryLots
    this.relativeErrorBound = relativeErrorBound
    this.tolerance = tolerance
  }

  /** The same error with `cause` set (e.g. why a second, more accurate method could not help either). */
  withCause(cause: unknown): GlftPrecisionLossError {
    return new GlftPrecisionLossError({
      inventoryLots: this.inventoryLots,
      relativeErrorBound: this.relativeErrorBound,
      tolerance: this.tolerance,
      cause,
    })
  }
}

export type EigenSolverConvergenceErrorType = EigenSolverConvergenceError & { name: 'EigenSolverConvergenceError' }

/** The symmetric tridiagonal eigen-solver did not converge within its iteration budget (NaN or pathological input). */
export class EigenSolverConvergenceError extends ModelsError {
  override name = 'EigenSolverConvergenceError' as const
  /** Index of the eigenvalue that failed to converge. */
  readonly index: number
  /** Iterations spent on it. */
  readonly iterations: number

  constructor({ index, iterations }: { index: number; iterations: number }) {
    super(`Tridiagonal eigen-solver did not converge for eigenvalue ${index} after ${iterations} iterations.`, {
      code: 'EIGEN_SOLVER_NO_CONVERGENCE',
      metaMessages: [
        'Next: check the matrix entries are finite and of moderate magnitude (report the inputs if they are).',
      ],
    })
    this.index = index
    this.iterations = iterations
  }
}
