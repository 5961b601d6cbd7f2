import { increaseTime } from '@alp/venue-sim/chain'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRebalancePlanExecutor } from '../src/manager/createRebalancePlanExecutor.js'
import type { LpRebalanceExecution } from '../src/manager/describeExecution.js'
import { MemoryRebalancePlanStore } from '../src/rebalance/planStore.js'
import { type ManagerFixture, setupManagerFixture } from './helpers/managerFixture.js'

/*
 * Model-based test of LpManager's 'executed' event on anvil (the real plan executor, the real pool) over random
 * programs of steps, each after the price left the base range, under random faults of the write side:
 *  - `reject`: execute() fails before the plan's first transaction (nothing executed);
 *  - `crash`: a step of the plan throws after it was saved as done (afterStep hook: a crash mid-plan, its first
 *    transactions on chain); the manager's next step resumes the plan (resume()) before deciding anew.
 * The model: the plan ids completed on chain, whether by execute() (it resolved) or by resume() (it returned the
 *  finished plan after execute() threw mid-plan). Invariants after every step:
 *  E1  'executed' is emitted exactly once for each of them, with that plan's id, and never twice for any id;
 *  E2  a plan whose execute() threw has its 'executed' once resume() finished it, never before (while it is still
 *      unfinished on chain) and never for a plan that sent nothing (a rejection).
 * numRuns is small: every step is a real rebalance on anvil. The seed is printed on failure (fast-check's message);
 * rerun one with EXECUTED_MODEL_SEED=<seed>.
 */
let f: ManagerFixture
beforeAll(async () => {
  f = await setupManagerFixture()
}, 60_000)
afterAll(async () => {
  await f?.chain.stop()
})

type Fault = 'none' | 'reject' | 'crash'
const faultArb = fc.constantFrom<Fault>('none', 'none', 'reject', 'crash')
const stepArb = fc.record({
  fault: faultArb,
  crashAfter: fc.integer({ min: 1, max: 3 }),
  away: fc.integer({ min: 20, max: 60 }),
})

describe("LpManager 'executed' event: model-based under write-side faults", () => {
  it('is emitted exactly once per plan completed on chain (by execute() or by resume()), never for one that was not', async () => {
    const seen = { emitted: 0, failed: 0, rejected: 0, resumed: 0 }
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 3 }), faultArb, async (steps, startFault) => {
        await f.reset()
        let fault: Fault = 'none'
        let crashAfter = 1
        let stepsDone = 0
        const policy = { maxFeePerGasCapWei: 100n * 10n ** 9n, onFeeAboveCap: 'fail' as const, replaceAfterMs: 2_000 }
        const real = createRebalancePlanExecutor({
          ctx: f.context(),
          pool: f.pool,
          store: new MemoryRebalancePlanStore(),
          policy,
          hooks: {
            afterStep: () => {
              stepsDone++
              if (fault === 'crash' && stepsDone === crashAfter) throw new Error('injected crash after a plan step')
            },
          },
        })
        const completed: string[] = [] // model: plan ids completed on chain (execute() resolved, or resume() finished)
        const failed: string[] = [] // plan ids whose execute() threw mid-plan
        const executor = {
          async execute(request: Parameters<typeof real.execute>[0]) {
            stepsDone = 0
            if (fault === 'reject') {
              seen.rejected++
              throw new Error('injected rejection before the first transaction')
            }
            try {
              const result = await real.execute(request)
              completed.push(real.lastResult!.plan.id)
              return result
            } catch (error) {
              const pending = real.pendingPlan?.() as { id: string } | null
              if (pending !== null) failed.push(pending.id)
              throw error
            }
          },
          async resume() {
            const result = await real.resume()
            const id = result === null ? null : real.lastResult!.plan.id
            if (id !== null && !completed.includes(id)) {
              completed.push(id)
              seen.resumed++
            }
            return result
          },
          pendingPlan: () => real.pendingPlan?.(),
        }
        const manager = f.newManager({ executor })
        const emitted: LpRebalanceExecution[] = []
        manager.on('executed', (e) => emitted.push(e))
        const check = () => {
          const ids = emitted.map((e) => e.id)
          expect(new Set(ids).size, `an id emitted twice: ${ids.join(', ')}`).toBe(ids.length) // E1
          expect([...ids].sort()).toEqual([...completed].sort()) // E1
          // E2: a plan whose execute() threw is emitted only once resume() finished it.
          for (const id of failed) expect(ids.includes(id)).toBe(completed.includes(id))
        }
        fault = startFault
        crashAfter = 1
        await manager.start().catch(() => undefined)
        check()
        for (const s of steps) {
          fault = 'none'
          await manager.step().catch(() => undefined) // resumes a plan a crash left (that step does not decide)
          check()
          const base = manager.snapshot().ranges.find((r) => r.role === 'base')
          if (base !== undefined) await f.moveTickTo(base.tickUpper + s.away)
          await increaseTime(f.chain, 1_200)
          fault = s.fault
          crashAfter = s.crashAfter
          await manager.step().catch(() => undefined)
          check()
        }
        seen.emitted += emitted.length
        seen.failed += failed.length
      }),
      { numRuns: Number(process.env.EXECUTED_MODEL_RUNS ?? 4), seed: seedFromEnv(), endOnFailure: true },
    )
    // The programs did rebalance, crash mid-plan and reject (the default seed's do; another seed may not).
    if (process.env.EXECUTED_MODEL_SEED === undefined) {
      expect(seen.emitted).toBeGreaterThan(0)
      expect(seen.failed).toBeGreaterThan(0)
      expect(seen.rejected).toBeGreaterThan(0)
      expect(seen.resumed).toBeGreaterThan(0)
    }
  }, 240_000)
})

/** EXECUTED_MODEL_SEED, else a fixed seed (CI runs the same programs every time). */
function seedFromEnv(): number {
  return Number(process.env.EXECUTED_MODEL_SEED ?? 20261207)
}
