import { assertChainId } from './assertChainId.js'
import { assertExecutionGuards } from './assertExecutionGuards.js'
import { assertTwapDeviation } from './assertTwapDeviation.js'
import type { ExecutionContext } from './executionContext.js'

export type GuardPoolErrorType =
  | import('./assertExecutionGuards.js').AssertExecutionGuardsErrorType
  | import('./assertChainId.js').AssertChainIdErrorType
  | import('./assertTwapDeviation.js').AssertTwapDeviationErrorType

/** The pre-flight checks every pool action runs: guard settings, then chain id (so nothing is read from the wrong chain), then TWAP. */
export async function guardPool(ctx: ExecutionContext, pool: string): Promise<{ spotTick: number; twapTick: number }> {
  assertExecutionGuards(ctx.guards)
  await assertChainId(ctx.provider, ctx.guards.expectedChainId)
  return assertTwapDeviation(ctx.provider, { pool, ...ctx.guards.twap })
}
