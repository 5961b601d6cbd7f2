import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { positionManagerInterface } from '../src/chain/interfaces.js'
import { createMemoryCheckpointStore } from '../src/manager/checkpointStore.js'
import { createRebalancePlanExecutor } from '../src/manager/createRebalancePlanExecutor.js'
import type { LpRebalanceExecution } from '../src/manager/describeExecution.js'
import { MemoryRebalancePlanStore } from '../src/rebalance/planStore.js'
import { type ManagerFixture, setupManagerFixture } from './helpers/managerFixture.js'

/*
 * A plan that execute() started and did not finish (a crash after its first transaction) is finished by resume(),
 * in the same process (the next step) or after a restart (start()). Either way the manager reports it as 'executed'
 * exactly once, with the request it was decided from and what the chain holds.
 */
let f: ManagerFixture
beforeAll(async () => {
  f = await setupManagerFixture()
}, 60_000)
afterAll(async () => {
  await f?.chain.stop()
})
beforeEach(async () => {
  await f.reset()
})

const policy = { maxFeePerGasCapWei: 100n * 10n ** 9n, onFeeAboveCap: 'fail' as const, replaceAfterMs: 2_000 }

/** A plan executor on `store` that throws after the first step of every plan while `crash.on` is true. */
function crashingExecutor(store: MemoryRebalancePlanStore, crash: { on: boolean }) {
  return createRebalancePlanExecutor({
    ctx: f.context(),
    pool: f.pool,
    store,
    policy,
    hooks: {
      afterStep: () => {
        if (crash.on) {
          crash.on = false
          throw new Error('injected crash after the plan first step')
        }
      },
    },
  })
}

async function onChainLiquidity(tokenId: bigint): Promise<bigint> {
  const r = positionManagerInterface.decodeFunctionResult(
    'positions',
    await f.chain.provider.call({
      to: f.chain.uniswap.positionManager,
      data: positionManagerInterface.encodeFunctionData('positions', [tokenId]),
    }),
  )
  return BigInt(r.liquidity)
}

describe("LpManager 'executed' for a plan finished by resume()", () => {
  it('after a restart: start() resumes the plan and reports it once, with the request the last run decided', async () => {
    const plans = new MemoryRebalancePlanStore()
    const checkpoint = createMemoryCheckpointStore()
    const first = f.newManager({ executor: crashingExecutor(plans, { on: true }), checkpoint })
    const firstEmitted: LpRebalanceExecution[] = []
    first.on('executed', (e) => firstEmitted.push(e))
    await expect(first.start()).rejects.toThrow('injected crash')
    expect(firstEmitted).toEqual([])
    const left = (await plans.load())!
    expect(left.status).not.toBe('done')

    // The restart: a new manager on the same plan store and checkpoint.
    const executor = crashingExecutor(plans, { on: false })
    const second = f.newManager({ executor, checkpoint })
    const emitted: LpRebalanceExecution[] = []
    second.on('executed', (e) => emitted.push(e))
    await second.start()
    expect(emitted.map((e) => e.id)).toEqual([left.id])
    const e = emitted[0]!
    expect(e.request.reason).toBe('NO_POSITION')
    expect(e.minted.map((m) => m.role)).toEqual(e.request.mints.map((m) => m.role))
    for (const m of e.minted) expect(await onChainLiquidity(m.tokenId)).toBe(m.liquidity)
    expect(await plans.load()).toBeNull()

    // Later steps and another restart do not report it again.
    await second.step()
    const third = f.newManager({ executor: crashingExecutor(plans, { on: false }), checkpoint })
    const thirdEmitted: LpRebalanceExecution[] = []
    third.on('executed', (x) => thirdEmitted.push(x))
    await third.start()
    expect(emitted).toHaveLength(1)
    expect(thirdEmitted.map((x) => x.id)).not.toContain(left.id)
  }, 60_000)

  it('in the same process: the next step resumes the plan and reports it once', async () => {
    const plans = new MemoryRebalancePlanStore()
    const crash = { on: true }
    const manager = f.newManager({ executor: crashingExecutor(plans, crash) })
    const emitted: LpRebalanceExecution[] = []
    manager.on('executed', (e) => emitted.push(e))
    await expect(manager.start()).rejects.toThrow('injected crash')
    const left = (await plans.load())!
    expect(emitted).toEqual([])
    await manager.step()
    expect(emitted.map((e) => e.id)).toEqual([left.id])
    expect(emitted[0]!.request.reason).toBe('NO_POSITION')
    expect(manager.snapshot().lastExecution?.id).toBe(left.id)
    await manager.step()
    expect(emitted).toHaveLength(1)
  }, 60_000)
})
