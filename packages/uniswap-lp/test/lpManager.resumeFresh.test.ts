import { increaseTime, mineBlock } from '@alp/venue-sim/chain'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { positionManagerInterface } from '../src/chain/interfaces.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { createRebalancePlanExecutor } from '../src/manager/createRebalancePlanExecutor.js'
import type { LpRebalanceRequest } from '../src/manager/decideLpAction.js'
import type { LpRebalanceExecution } from '../src/manager/describeExecution.js'
import { LpManagerStateError } from '../src/manager/errors.js'
import { positionEnumerationInterface } from '../src/manager/readChainHoldings.js'
import type { RebalanceDecision } from '../src/policy/types.js'
import { MemoryRebalancePlanStore } from '../src/rebalance/planStore.js'
import type { RebalanceStep } from '../src/rebalance/types.js'
import { type ManagerFixture, setupManagerFixture } from './helpers/managerFixture.js'

/*
 * A step (or start()) in which resume() finishes a plan that execute() left half-done must not decide on the holdings
 * it read before the resume: they still hold the NFTs the plan burned and the funds its mints spent. That step ends
 * without a decision; the next decision is made on holdings read after the plan, i.e. equal to the chain's.
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

/** A plan executor on `store` that throws after the first plan step of `kind` while `crash.on` is true. */
function crashingExecutor(store: MemoryRebalancePlanStore, crash: { on: boolean; kind: RebalanceStep['kind'] }) {
  return createRebalancePlanExecutor({
    ctx: f.context(),
    pool: f.pool,
    store,
    policy,
    hooks: {
      afterStep: (step) => {
        if (crash.on && step.kind === crash.kind) {
          crash.on = false
          throw new Error(`injected crash after a ${step.kind} step`)
        }
      },
    },
  })
}

/** The owner's NFTs with liquidity, read from the position manager (ERC-721 enumeration + positions()). */
async function chainPositions(): Promise<{ tokenId: string; tickLower: number; tickUpper: number }[]> {
  const pm = f.chain.uniswap.positionManager
  const call = async (data: string) => f.chain.provider.call({ to: pm, data })
  const n = Number(
    positionEnumerationInterface.decodeFunctionResult(
      'balanceOf',
      await call(positionEnumerationInterface.encodeFunctionData('balanceOf', [f.owner])),
    )[0],
  )
  const out: { tokenId: string; tickLower: number; tickUpper: number }[] = []
  for (let i = 0; i < n; i++) {
    const id = BigInt(
      positionEnumerationInterface.decodeFunctionResult(
        'tokenOfOwnerByIndex',
        await call(positionEnumerationInterface.encodeFunctionData('tokenOfOwnerByIndex', [f.owner, i])),
      )[0],
    )
    const r = positionManagerInterface.decodeFunctionResult(
      'positions',
      await call(positionManagerInterface.encodeFunctionData('positions', [id])),
    )
    if (BigInt(r.liquidity) > 0n)
      out.push({ tokenId: id.toString(), tickLower: Number(r.tickLower), tickUpper: Number(r.tickUpper) })
  }
  return out.sort((a, b) => (a.tokenId < b.tokenId ? -1 : 1))
}

/** The widest range (what the manager takes as its base). */
function widest<T extends { tickLower: number; tickUpper: number }>(ranges: readonly T[]): T {
  return [...ranges].sort((a, b) => b.tickUpper - b.tickLower - (a.tickUpper - a.tickLower))[0]!
}

type Seen = { decision: RebalanceDecision; request: LpRebalanceRequest | null; heldIds: string[] }

describe('LpManager: no decision on holdings read before resume() finished a plan', () => {
  it('same process: the step that resumes a half-done close-and-mint plan does not decide; the next decides on the chain’s holdings', async () => {
    const plans = new MemoryRebalancePlanStore()
    const crash = { on: false, kind: 'close' as RebalanceStep['kind'] }
    const executor = crashingExecutor(plans, crash)
    const manager = f.newManager({ executor })
    const decisions: Seen[] = []
    manager.on('decision', (decision, request) =>
      decisions.push({
        decision,
        request,
        heldIds: (manager.snapshot().holdings?.positions ?? []).filter((q) => q.liquidity > 0n).map((q) => q.tokenId),
      }),
    )
    const emitted: LpRebalanceExecution[] = []
    manager.on('executed', (e) => emitted.push(e))
    await manager.start() // NO_POSITION: base (+ limit) minted
    expect(emitted).toHaveLength(1)
    await manager.step()
    const first = await chainPositions()
    expect(first.length).toBeGreaterThan(0)

    // Out of the base: the rebalance closes every NFT then mints; it crashes right after the first close.
    await f.moveTickTo(widest(first).tickUpper + 30)
    await increaseTime(f.chain, 1_200)
    crash.on = true
    await expect(manager.step()).rejects.toThrow('injected crash after a close step')
    const left = (await plans.load())!
    expect(left.status).not.toBe('done')
    expect(left.steps.filter((s) => s.kind === 'close').length).toBe(first.length)

    // The step that resumes: the plan is finished and reported, nothing is decided or requested on the stale reads.
    const before = decisions.length
    const report = await manager.step()
    expect(emitted.map((e) => e.id)).toEqual([emitted[0]!.id, left.id])
    expect(report.decision).toBeNull()
    expect(report.executed).toBeNull()
    expect(decisions.length).toBe(before)
    expect(await plans.load()).toBeNull()
    const after = await chainPositions()
    expect(after.map((q) => q.tokenId)).toEqual(
      executor
        .lastResult!.minted.filter((m) => m.liquidity > 0n)
        .map((m) => m.tokenId.toString())
        .sort(),
    )
    for (const q of first) expect(after.map((x) => x.tokenId)).not.toContain(q.tokenId)

    // The next step decides, on holdings equal to the chain's: the resumed plan's NFTs, none of the burned ones.
    const next = await manager.step()
    expect(next.decision).not.toBeNull()
    const d = decisions.at(-1)!
    expect(decisions.length).toBe(before + 1)
    expect([...d.heldIds].sort()).toEqual(after.map((q) => q.tokenId))
    const { tick } = await readPoolState(f.chain.provider, f.pool.pool)
    const base = widest(after)
    expect(d.decision.distanceToLowerTicks).toBe(tick - base.tickLower)
    expect(d.decision.distanceToUpperTicks).toBe(base.tickUpper - 1 - tick)
    expect(d.decision.reason).not.toBe('NO_POSITION')
    // A rebalance decided now closes exactly what the chain holds (never the NFTs the resumed plan burned).
    if (d.request !== null) expect(d.request.close.map(String).sort()).toEqual(after.map((q) => q.tokenId))
  }, 60_000)

  it('restart (confirmations 2, no checkpoint): start() does not decide after resume() finished a plan; a later step decides on the chain’s holdings', async () => {
    const plans = new MemoryRebalancePlanStore()
    const confirmations = 2
    // The first run: NO_POSITION, the plan crashes after its base mint (the limit is not minted).
    const first = f.newManager({ executor: crashingExecutor(plans, { on: true, kind: 'mint' }), confirmations })
    await expect(first.start()).rejects.toThrow('injected crash after a mint step')
    const left = (await plans.load())!
    expect(left.status).not.toBe('done')

    // The restart: resume() finishes the plan in start(); the baseline is read `confirmations` deep, before its mints.
    const executor = crashingExecutor(plans, { on: false, kind: 'mint' })
    const second = f.newManager({ executor, confirmations })
    const decisions: Seen[] = []
    second.on('decision', (decision, request) =>
      decisions.push({
        decision,
        request,
        heldIds: (second.snapshot().holdings?.positions ?? []).filter((q) => q.liquidity > 0n).map((q) => q.tokenId),
      }),
    )
    const errors: unknown[] = []
    second.on('error', (e) => errors.push(e))
    const report = await second.start()
    expect(executor.lastResult?.plan.id).toBe(left.id)
    // Without a checkpoint the plan's request is unknown: reported as an error, and still no decision.
    expect(errors.some((e) => e instanceof LpManagerStateError)).toBe(true)
    expect(report.decision).toBeNull()
    expect(report.executed).toBeNull()
    expect(decisions).toEqual([])
    const after = await chainPositions()
    expect(after.map((q) => q.tokenId)).toEqual(
      executor
        .lastResult!.minted.filter((m) => m.liquidity > 0n)
        .map((m) => m.tokenId.toString())
        .sort(),
    )

    // Steps decide only once the follower has processed the plan's blocks, on holdings that include its NFTs.
    for (let i = 0; i < 20 && decisions.length === 0; i++) {
      await mineBlock(f.chain)
      await second.step()
    }
    expect(decisions.length).toBeGreaterThan(0)
    const d = decisions[0]!
    expect(d.decision.reason).not.toBe('NO_POSITION')
    expect([...d.heldIds].sort()).toEqual(after.map((q) => q.tokenId))
    // Nothing was minted on top of the resumed plan.
    expect((await chainPositions()).map((q) => q.tokenId)).toEqual(after.map((q) => q.tokenId))
  }, 60_000)
})
