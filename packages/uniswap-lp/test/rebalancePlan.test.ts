import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { executeClosePosition } from '../src/chain/executeClosePosition.js'
import { readNftPosition } from '../src/chain/readNftPosition.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { ChainReadError } from '../src/errors/chain.js'
import { getAmountsForLiquidity } from '../src/math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../src/math/tickMath.js'
import { executeRebalancePlan, resumeRebalancePlan } from '../src/rebalance/executeRebalancePlan.js'
import { planRebalance } from '../src/rebalance/planRebalance.js'
import { FileRebalancePlanStore } from '../src/rebalance/planStore.js'
import type { RebalancePlan } from '../src/rebalance/types.js'
import {
  FaultyProvider,
  type Holdings,
  POLICY,
  rangesAtPrice,
  readHoldings,
  type Scenario,
  setupScenario,
} from './rebalancePlan.helpers.js'
import { type ChainFixture, setupChainFixture } from './src/chainFixture.js'

let f: ChainFixture
let s: Scenario
let dir: string
beforeAll(async () => {
  f = await setupChainFixture()
  s = await setupScenario(f)
  dir = await mkdtemp(join(tmpdir(), 'alp-rebalance-plan-'))
})
afterAll(async () => {
  await f?.chain.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** The test plan at the scenario's state: close the NFT, sell 30 % of its token1 for token0, mint base + limit. */
async function makePlan(id: string): Promise<RebalancePlan> {
  const position = await readNftPosition(f.chain.provider, {
    positionManager: f.chain.uniswap.positionManager,
    tokenId: s.open[0]!,
  })
  const { sqrtPriceX96 } = await readPoolState(f.chain.provider, f.pool.pool)
  const principal = getAmountsForLiquidity(
    sqrtPriceX96,
    getSqrtRatioAtTick(position.tickLower),
    getSqrtRatioAtTick(position.tickUpper),
    position.liquidity,
  )
  const ranges = await rangesAtPrice(f)
  return planRebalance({
    pool: f.pool,
    close: [s.open[0]!],
    swap: { zeroForOne: false, amountInRaw: (principal.amount1 * 3n) / 10n },
    mints: [ranges.base, ranges.limitBelow],
    id,
    createdAtMs: 1_700_000_000_000,
  })
}

class Crash extends Error {}

let reference: Holdings

describe('a rebalance as a persisted plan, on the real contracts', () => {
  it('a base + limit plan executes: NFT closed and burned, swap, two mints funded from the wallet, plan saved at every step', async () => {
    await s.restore()
    const store = new FileRebalancePlanStore(join(dir, 'uninterrupted.json'))
    const before = await readHoldings(f, s.owner)
    expect(before.positions.map((p) => p.tokenId)).toEqual(s.open)
    const plan = await makePlan('uninterrupted')
    const saves: string[] = []
    const result = await executeRebalancePlan(s.context(), {
      plan,
      store: {
        load: () => store.load(),
        clear: () => store.clear(),
        save: async (p) => {
          saves.push(p.steps.map((x) => `${x.status}${x.txs.length}`).join(','))
          await store.save(p)
        },
      },
      policy: POLICY,
    })
    // Saved before the first transaction, with each hash before its broadcast, and after each step.
    expect(saves[0]).toBe('pending0,pending0,pending0,pending0')
    expect(saves[1]).toBe('sent1,pending0,pending0,pending0')
    expect(saves.at(-1)).toBe('done1,done1,done1,done1')
    expect(saves.length).toBe(1 + 4 * 2 + 1)

    const saved = (await store.load())!
    expect(saved.status).toBe('done')
    expect(saved.preexistingTokenIds).toEqual(s.open)
    // One transaction per step, consecutive nonces.
    const nonces = saved.steps.map((x) => x.txs[0]!.nonce)
    expect(nonces).toEqual([nonces[0], nonces[0]! + 1, nonces[0]! + 2, nonces[0]! + 3])
    await expect(
      readNftPosition(f.chain.provider, { positionManager: f.chain.uniswap.positionManager, tokenId: s.open[0]! }),
    ).rejects.toBeInstanceOf(ChainReadError)

    const swap = result.swap!
    const closed = result.closed[0]!
    expect(closed.skipped).toBe(false)
    expect(result.minted.map((m) => m.role)).toEqual(['base', 'limit'])
    // Funded from the wallet: what it held before (dust) + collected − swap deltas, and nothing more.
    const available0 = before.wallet0 + closed.collected0Raw - swap.amount0Raw
    const available1 = before.wallet1 + closed.collected1Raw - swap.amount1Raw
    const [base, limit] = result.minted
    expect(limit!.amount0Raw).toBe(0n) // below the price: token1 only
    const after = await readHoldings(f, s.owner)
    expect(after.wallet0).toBe(available0 - base!.amount0Raw)
    expect(after.wallet1).toBe(available1 - base!.amount1Raw - limit!.amount1Raw)
    // The base takes all the token0 it can (a few wei of rounding stay), the limit takes the token1 the base left.
    expect(after.wallet0 * 1_000_000n).toBeLessThan(available0)
    expect(after.wallet1 * 1_000_000n).toBeLessThan(available1)
    // Enumeration: exactly the two new NFTs, with the plan's ticks and the minted liquidity.
    const ranges = [plan.steps[2], plan.steps[3]] as const
    expect(after.positions.map((p) => [p.tokenId, p.tickLower, p.tickUpper, p.liquidity])).toEqual(
      result.minted.map((m, i) => [
        m.tokenId,
        (ranges[i] as { tickLower: number }).tickLower,
        (ranges[i] as { tickUpper: number }).tickUpper,
        m.liquidity,
      ]),
    )
    reference = after

    // A done plan resumes to itself (no transaction).
    const nonce = await f.nonceOf(s.owner)
    const again = await resumeRebalancePlan(s.context(), { store, policy: POLICY })
    expect(again!.minted.map((m) => m.tokenId)).toEqual(result.minted.map((m) => m.tokenId))
    expect(await f.nonceOf(s.owner)).toBe(nonce)
  })

  const points = ['afterSign', 'afterBroadcast', 'afterReceipt', 'afterStep'] as const
  const cases = [0, 1, 2, 3].flatMap((step) => points.map((point) => [step, point] as const))
  it.each(cases)(
    'killed at step %i (%s), resumed with a fresh context: holdings equal the uninterrupted run to the wei, no NFT lost or doubled',
    async (step, point) => {
      expect(reference).toBeDefined()
      await s.restore()
      const path = join(dir, `crash-${step}-${point}.json`)
      const plan = await makePlan(`crash-${step}-${point}`)
      const crash = async (x: { index: number }) => {
        if (x.index === step) throw new Crash(`killed at step ${step}, ${point}`)
      }
      await expect(
        executeRebalancePlan(s.context(), {
          plan,
          store: new FileRebalancePlanStore(path),
          policy: POLICY,
          hooks: { [point]: crash },
        }),
      ).rejects.toBeInstanceOf(Crash)

      // A new process: a new provider, a new store object reading the same file.
      const provider = new FaultyProvider(f.chain.rpcUrl, f.chain.chainId)
      try {
        const result = await resumeRebalancePlan(s.context(provider), {
          store: new FileRebalancePlanStore(path),
          policy: POLICY,
        })
        expect(result!.plan.status).toBe('done')
      } finally {
        provider.destroy()
      }
      const after = await readHoldings(f, s.owner)
      expect({ ...after, blockNumber: 0 }).toEqual({ ...reference, blockNumber: 0 })
      const saved = (await new FileRebalancePlanStore(path).load())!
      expect(saved.steps.map((x) => x.status)).toEqual(['done', 'done', 'done', 'done'])
      // Store and chain agree: each mint step names one of the positions found by enumeration, none twice.
      const minted = saved.steps.flatMap((x) => (x.kind === 'mint' && x.result ? [x.result.tokenId] : []))
      expect(minted).toEqual(after.positions.map((p) => p.tokenId))
      // A crash before broadcast leaves a hash that never reached the node: the step was re-signed with the same nonce.
      const crashed = saved.steps[step]!
      if (point === 'afterSign') {
        expect(crashed.txs.length).toBe(2)
        expect(crashed.txs[1]!.nonce).toBe(crashed.txs[0]!.nonce)
      } else {
        expect(crashed.txs.length).toBe(1)
      }
      // No temporary files left next to the plan.
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
      expect(JSON.parse(await readFile(path, 'utf8')).schemaVersion).toBe(1)
    },
    30_000,
  )
  it('a crash while saving a signed hash (before broadcast), then the NFT closed outside the plan: the resume skips the burned NFT and mints from the wallet', async () => {
    expect(reference).toBeDefined()
    await s.restore()
    const path = join(dir, 'burned-outside.json')
    const file = new FileRebalancePlanStore(path)
    let saves = 0
    const failing = {
      load: () => file.load(),
      clear: () => file.clear(),
      save: async (p: RebalancePlan) => {
        if (++saves === 2) throw new Crash('disk full while recording the first hash')
        await file.save(p)
      },
    }
    const nonce = await f.nonceOf(s.owner)
    await expect(
      executeRebalancePlan(s.context(), { plan: await makePlan('burned-outside'), store: failing, policy: POLICY }),
    ).rejects.toBeInstanceOf(Crash)
    expect(await f.nonceOf(s.owner)).toBe(nonce) // the signed close was never broadcast
    expect((await file.load())!.steps[0]!.txs).toEqual([])
    // An operator closes the NFT by hand meanwhile (same price, same amounts as the plan's close).
    await executeClosePosition(s.context(), { pool: f.pool, tokenId: s.open[0]! })
    const result = await resumeRebalancePlan(s.context(), { store: file, policy: POLICY })
    expect(result!.plan.steps[0]!.status).toBe('skipped')
    expect(result!.plan.steps[0]!.note).toBe(`NFT ${s.open[0]} is already burned`)
    expect(result!.plan.steps.slice(1).map((x) => x.status)).toEqual(['done', 'done', 'done'])
    const after = await readHoldings(f, s.owner)
    expect({ ...after, blockNumber: 0 }).toEqual({ ...reference, blockNumber: 0 })
  })
})
