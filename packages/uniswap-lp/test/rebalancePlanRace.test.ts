import { JsonRpcProvider, Network } from 'ethers'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { executeRebalancePlan, resumeRebalancePlan } from '../src/rebalance/executeRebalancePlan.js'
import { planRebalance } from '../src/rebalance/planRebalance.js'
import { MemoryRebalancePlanStore } from '../src/rebalance/planStore.js'
import type { RebalancePlan, RebalanceStep, TransactionPolicy } from '../src/rebalance/types.js'
import {
  type Holdings,
  POLICY,
  rangesAtPrice,
  readHoldings,
  type Scenario,
  setupScenario,
} from './rebalancePlan.helpers.js'
import { type ChainFixture, setupChainFixture } from './src/chainFixture.js'

/**
 * A crash right after a step's broadcast leaves its transaction pending. The resume reads the chain several times
 * (receipts, nonce, NFT owner, positions, balances) while that transaction can be mined at any moment: in CI the close
 * was mined between `positions()` and `ownerOf()`, and the resume threw "ERC721: owner query for nonexistent token".
 *
 * Here anvil's automine is off, so the crashed transaction stays pending until the test mines it: a provider in front
 * of anvil mines it right before the resume's k-th request, for every k from the first request until the transport
 * polls the step's receipt. Whatever k, the resume must settle the step from its own mined transaction, exactly like
 * an uninterrupted run (no error, no step skipped, no second transaction, holdings equal to the wei).
 */

let f: ChainFixture
let s: Scenario
/** Sold from the spare funds: 100 USDC or 0.05 WETH, whichever token1 is. */
let SWAP_IN: bigint
beforeAll(async () => {
  f = await setupChainFixture()
  s = await setupScenario(f, { spare: true })
  SWAP_IN = f.pool.token1 === f.usdc ? 100n * 10n ** 6n : 5n * 10n ** 16n
})
afterAll(async () => {
  await f?.chain.stop()
})
beforeEach(async () => {
  await setAutomine(true)
  await s.restore()
})

class Crash extends Error {}

/**
 * The tests' policy with room to wait: a transaction the node still holds gets `replaceAfterMs` from its signing to be
 * mined before its step is prepared again, so a loaded CI machine never reaches the replacement here.
 */
const WAITING: TransactionPolicy = { ...POLICY, replaceAfterMs: 8_000 }

async function setAutomine(on: boolean): Promise<void> {
  await f.chain.provider.send('evm_setAutomine', [on])
}

/** Which request of the resume the crashed transaction is mined before (index: 1-based). */
type MineWhen = (request: { index: number; method: string; params: unknown }) => boolean

/**
 * A fresh process's provider that mines every pending transaction (and turns automine back on) right before the
 * first request `mineWhen` picks, and records every request's method.
 */
class MineBeforeRequestProvider extends JsonRpcProvider {
  readonly methods: string[] = []
  /** The request the block was mined before (undefined: not mined yet). */
  minedBefore: { index: number; method: string; params: unknown } | undefined

  constructor(
    readonly mineWhen: MineWhen,
    readonly onRequest: (method: string, params: unknown) => void = () => {},
    /** ethers' request cache (-1: off, as on the local test providers; 250 ms is ethers' default, used in production). */
    cacheTimeout = -1,
  ) {
    const network = Network.from(f.chain.chainId)
    super(f.chain.rpcUrl, network, { staticNetwork: network, cacheTimeout, batchMaxCount: 1, pollingInterval: 20 })
  }

  override async send(method: string, params: unknown[] | Record<string, unknown>): Promise<unknown> {
    this.methods.push(method)
    this.onRequest(method, params)
    const request = { index: this.methods.length, method, params }
    if (this.minedBefore === undefined && this.mineWhen(request)) {
      this.minedBefore = request
      await f.chain.provider.send('evm_mine', [])
      await setAutomine(true)
    }
    return super.send(method, params)
  }
}

type StepView = Pick<RebalanceStep, 'kind' | 'status'> & { result: unknown }
function viewOf(plan: RebalancePlan): StepView[] {
  return plan.steps.map((x) => ({ kind: x.kind, status: x.status, result: { ...x.result, txHash: undefined } }))
}

type Outcome = { holdings: Holdings; steps: StepView[]; nonce: number }

/** The plan run without a crash: what every interrupted run must end with. */
async function uninterrupted(plan: RebalancePlan): Promise<Outcome> {
  const nonce = await f.nonceOf(s.owner)
  const result = await executeRebalancePlan(s.context(), {
    plan,
    store: new MemoryRebalancePlanStore(),
    policy: POLICY,
  })
  return {
    holdings: { ...(await readHoldings(f, s.owner)), blockNumber: 0 },
    steps: viewOf(result.plan),
    nonce: (await f.nonceOf(s.owner)) - nonce,
  }
}

type Run = { k: number; minedBefore: string; error?: string; outcome?: Outcome; transportPolled: boolean }

/**
 * Crash after broadcasting step 0 with automine off (the transaction stays pending), then resume through a provider
 * that mines it right before request k.
 */
async function crashThenResume(
  makePlan: () => Promise<RebalancePlan>,
  k: number,
  o: { policy?: TransactionPolicy; mineWhen?: MineWhen } = {},
): Promise<Run> {
  const policy = o.policy ?? WAITING
  await s.restore()
  const store = new MemoryRebalancePlanStore()
  const nonce = await f.nonceOf(s.owner)
  await setAutomine(false)
  let provider: MineBeforeRequestProvider | undefined
  try {
    await expect(
      executeRebalancePlan(s.context(), {
        plan: await makePlan(),
        store,
        policy,
        hooks: {
          afterBroadcast: () => {
            throw new Crash('killed after broadcast')
          },
        },
      }),
    ).rejects.toBeInstanceOf(Crash)
    const hash = (await store.load())!.steps[0]!.txs[0]!.hash
    expect(await f.nonceOf(s.owner)).toBe(nonce) // still pending
    // The transport polls the crashed hash's receipt once the settlement is over: its 2nd (or later) receipt request.
    let receiptReads = 0
    let transportPolled = false
    provider = new MineBeforeRequestProvider(o.mineWhen ?? ((r) => r.index === k), (method, params) => {
      if (method !== 'eth_getTransactionReceipt' || (params as unknown[])[0] !== hash) return
      if (++receiptReads >= 2 && provider!.minedBefore === undefined && provider!.methods.length === k) {
        transportPolled = true
      }
    })
    const run: Run = { k, minedBefore: '', transportPolled: false }
    try {
      const result = await resumeRebalancePlan(s.context(provider), { store, policy })
      run.outcome = {
        holdings: { ...(await readHoldings(f, s.owner)), blockNumber: 0 },
        steps: viewOf(result!.plan),
        nonce: (await f.nonceOf(s.owner)) - nonce,
      }
    } catch (error) {
      run.error = error instanceof Error ? error.message.split('\n')[0] : String(error)
    }
    const mined = provider.minedBefore
    run.minedBefore = mined === undefined ? 'never' : `#${mined.index} ${mined.method}${describeCall(mined.params)}`
    run.transportPolled = transportPolled
    return run
  } finally {
    provider?.destroy()
    await setAutomine(true)
  }
}

const SELECTORS: Record<string, string> = {
  '0x99fbab88': 'positions',
  '0x6352211e': 'ownerOf',
  '0x70a08231': 'balanceOf',
  '0x3850c7bd': 'slot0',
  '0x82ad56cb': 'aggregate3',
}
function describeCall(params: unknown): string {
  const first = Array.isArray(params) ? params[0] : undefined
  const data = (first as { data?: unknown } | undefined)?.data
  if (typeof data !== 'string') return ''
  return ` ${SELECTORS[data.slice(0, 10)] ?? data.slice(0, 10)}()`
}

/**
 * Every k from 1 until the transport's receipt poll (where the race window ends): returns the runs that did not end
 * exactly like the uninterrupted run, and how many points were tried.
 */
async function sweep(makePlan: () => Promise<RebalancePlan>, expected: Outcome) {
  const failures: Run[] = []
  let k = 1
  for (; k <= 60; k++) {
    const run = await crashThenResume(makePlan, k)
    if (!endsAs(run, expected)) failures.push(run)
    // Past the transport's first receipt poll, or past the run's last request: no later point to try.
    if (run.transportPolled || run.minedBefore === 'never') break
  }
  return {
    failures: failures.map((r) => ({ k: r.k, minedBefore: r.minedBefore, error: r.error, outcome: r.outcome })),
    points: k,
  }
}
const big = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)
function endsAs(run: Run, expected: Outcome): boolean {
  return run.error === undefined && JSON.stringify(run.outcome, big) === JSON.stringify(expected, big)
}

/** An eth_call of `selector` (4 bytes, 0x-prefixed) to `to` (any address when undefined). */
function isCall(r: { method: string; params: unknown }, selector: string, to?: string[]): boolean {
  if (r.method !== 'eth_call') return false
  const tx = (r.params as [{ to?: string; data?: string }])[0]
  return (
    tx.data?.startsWith(selector) === true &&
    (to === undefined || to.some((a) => a.toLowerCase() === tx.to?.toLowerCase()))
  )
}

describe('a step transaction mined between two reads of the executor (one consistent view of the chain)', () => {
  it('a close (decrease + collect + burn) mined before any request of the resume: settled from its receipt, never "burned outside the plan", never an ERC721 revert', async () => {
    const plan = () =>
      Promise.resolve(planRebalance({ pool: f.pool, close: [s.open[0]!], mints: [], id: 'race-close' }))
    const expected = await uninterrupted(await plan())
    expect(expected.steps).toEqual([{ kind: 'close', status: 'done', result: expect.any(Object) }])
    expect(expected.nonce).toBe(1)
    const { failures, points } = await sweep(plan, expected)
    expect(points).toBeGreaterThan(3)
    expect(failures).toEqual([])
  }, 120_000)

  it('a swap mined before any request of the resume: settled from its receipt, never swapped twice', async () => {
    const plan = () =>
      Promise.resolve(
        planRebalance({
          pool: f.pool,
          close: [],
          swap: { zeroForOne: false, amountInRaw: SWAP_IN },
          mints: [],
          id: 'race-swap',
        }),
      )
    const expected = await uninterrupted(await plan())
    expect(expected.nonce).toBe(1)
    const { failures, points } = await sweep(plan, expected)
    expect(points).toBeGreaterThan(3)
    expect(failures).toEqual([])
  }, 120_000)

  it('a mint mined before any request of the resume: settled from its receipt (exact amounts), never skipped, never minted twice', async () => {
    const plan = async () => {
      const ranges = await rangesAtPrice(f)
      return planRebalance({ pool: f.pool, close: [], mints: [ranges.base], id: 'race-mint' })
    }
    const expected = await uninterrupted(await plan())
    expect(expected.steps[0]!.status).toBe('done')
    expect((expected.steps[0]!.result as { amount0Raw: bigint }).amount0Raw).toBeGreaterThan(0n)
    expect(expected.holdings.positions.length).toBe(2) // the scenario's NFT and the new one
    const { failures, points } = await sweep(plan, expected)
    expect(points).toBeGreaterThan(3)
    expect(failures).toEqual([])
  }, 120_000)

  // No wait (replaceAfterMs already over when the resume starts, as after a long restart): the step is prepared again
  // at once, and the pending transaction is mined during that preparation.
  const NO_WAIT: TransactionPolicy = { ...POLICY, replaceAfterMs: 1 }

  it('a pending close mined while the step is prepared again (its positions() read reverts): the step is settled from its receipt', async () => {
    const plan = () =>
      Promise.resolve(planRebalance({ pool: f.pool, close: [s.open[0]!], mints: [], id: 'race-close-prepare' }))
    const expected = await uninterrupted(await plan())
    const run = await crashThenResume(plan, 0, {
      policy: NO_WAIT,
      mineWhen: (r) => isCall(r, '0x99fbab88' /* positions */),
    })
    expect(run.minedBefore).toMatch(/eth_call positions\(\)$/)
    expect({ error: run.error, outcome: run.outcome }).toEqual({ error: undefined, outcome: expected })
  })

  it('a pending mint mined while the step is prepared again (the wallet reads as spent): the step is settled from its receipt, not skipped', async () => {
    const plan = async () => {
      const ranges = await rangesAtPrice(f)
      return planRebalance({ pool: f.pool, close: [], mints: [ranges.base], id: 'race-mint-prepare' })
    }
    const expected = await uninterrupted(await plan())
    const run = await crashThenResume(plan, 0, {
      policy: NO_WAIT,
      mineWhen: (r) => isCall(r, '0x70a08231' /* balanceOf */, [f.pool.token0, f.pool.token1]),
    })
    expect(run.minedBefore).toMatch(/eth_call balanceOf\(\)$/)
    expect({ error: run.error, outcome: run.outcome }).toEqual({ error: undefined, outcome: expected })
  })

  it("a swap mined between the transport's receipt poll and its nonce check, on a provider with ethers' 250 ms request cache: the receipt is read again from the node, no NonceConflictError", async () => {
    const plan = planRebalance({
      pool: f.pool,
      close: [],
      swap: { zeroForOne: false, amountInRaw: SWAP_IN },
      mints: [],
      id: 'race-swap-cache',
    })
    const expected = await uninterrupted(structuredClone(plan))
    await s.restore()
    const nonce = await f.nonceOf(s.owner)
    await setAutomine(false)
    let broadcast = false
    const provider = new MineBeforeRequestProvider(
      (r) => broadcast && r.method === 'eth_getTransactionCount' && (r.params as unknown[])[1] === 'latest',
      (method) => {
        if (method === 'eth_sendRawTransaction') broadcast = true
      },
      250,
    )
    try {
      const result = await executeRebalancePlan(s.context(provider), {
        plan,
        store: new MemoryRebalancePlanStore(),
        policy: WAITING,
      })
      expect(provider.minedBefore?.method).toBe('eth_getTransactionCount')
      expect({
        holdings: { ...(await readHoldings(f, s.owner)), blockNumber: 0 },
        steps: viewOf(result.plan),
        nonce: (await f.nonceOf(s.owner)) - nonce,
      }).toEqual(expected)
    } finally {
      provider.destroy()
      await setAutomine(true)
    }
  })
})
