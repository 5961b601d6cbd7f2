import type { ExecutionContext } from '../chain/executionContext.js'
import type { PoolImmutables } from '../chain/readPoolImmutables.js'
import {
  executeRebalancePlan,
  type RebalancePlanHooks,
  type RebalancePlanResult,
  resumeRebalancePlan,
} from '../rebalance/executeRebalancePlan.js'
import { planRebalance } from '../rebalance/planRebalance.js'
import type { RebalancePlanStore } from '../rebalance/planStore.js'
import type { RebalancePlan, TransactionPolicy } from '../rebalance/types.js'
import type { LpRebalanceRequest } from './decideLpAction.js'
import type { LpManagerExecutor } from './types.js'

export type CreateRebalancePlanExecutorParameters = {
  ctx: ExecutionContext
  pool: PoolImmutables
  store: RebalancePlanStore
  policy: TransactionPolicy
  /**
   * Converts the policy's expected gain (USD) to native wei for the write side's own gas-vs-gain check before the
   * first transaction; omit to rely on the manager's policy check alone.
   */
  usdToWei?: ((usd: number) => bigint) | undefined
  /** Observers of every signed, broadcast and mined transaction (logging, metrics, crash tests). */
  hooks?: RebalancePlanHooks | undefined
  /** Deterministic plan ids / times (tests); default random UUID and Date.now. */
  planId?: (() => string) | undefined
  nowMs?: (() => number) | undefined
}

/**
 * The manager's executor over the write side (src/rebalance): each request becomes a persisted plan (close every NFT,
 * then mint base and limit from the wallet) run by executeRebalancePlan; `resume()` runs resumeRebalancePlan (a plan a
 * crash left behind is finished from the chain state, never re-planned). The store is cleared once a plan is done.
 */
export function createRebalancePlanExecutor(
  p: CreateRebalancePlanExecutorParameters,
): LpManagerExecutor & { readonly lastResult: RebalancePlanResult | null } {
  let pending: RebalancePlan | null = null
  let lastResult: RebalancePlanResult | null = null
  const store: RebalancePlanStore = {
    load: () => p.store.load(),
    clear: async () => {
      pending = null
      await p.store.clear()
    },
    save: async (plan) => {
      pending = plan
      await p.store.save(plan)
    },
  }
  const finish = async (result: RebalancePlanResult | null) => {
    if (result !== null) {
      lastResult = result
      await store.clear()
    }
    return result
  }
  return {
    get lastResult() {
      return lastResult
    },
    async resume() {
      pending = await p.store.load()
      return finish(await resumeRebalancePlan(p.ctx, { store, policy: p.policy, hooks: p.hooks }))
    },
    async execute(request: LpRebalanceRequest) {
      const plan = planRebalance({
        pool: p.pool,
        close: request.close,
        mints: request.mints,
        id: p.planId?.(),
        createdAtMs: p.nowMs?.(),
      })
      const gasVsGain = p.usdToWei === undefined ? undefined : { expectedGainWei: p.usdToWei(request.expectedGainUsd) }
      return finish(await executeRebalancePlan(p.ctx, { plan, store, policy: p.policy, gasVsGain, hooks: p.hooks }))
    },
    pendingPlan: () => pending,
  }
}
