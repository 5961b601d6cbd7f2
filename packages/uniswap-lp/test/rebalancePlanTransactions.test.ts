import { mineBlock } from '@alp/venue-sim/chain'
import { toBeHex } from 'ethers'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { GasExceedsGainError, MaxFeeExceededError, NonceConflictError } from '../src/errors/rebalance.js'
import { executeRebalancePlan, resumeRebalancePlan } from '../src/rebalance/executeRebalancePlan.js'
import { DEFAULT_STEP_GAS } from '../src/rebalance/gasVsGain.js'
import { planRebalance } from '../src/rebalance/planRebalance.js'
import { MemoryRebalancePlanStore } from '../src/rebalance/planStore.js'
import type { TransactionPolicy } from '../src/rebalance/types.js'
import { POLICY, rangesAtPrice, type Scenario, setupScenario } from './rebalancePlan.helpers.js'
import { type ChainFixture, setupChainFixture } from './src/chainFixture.js'

let f: ChainFixture
let s: Scenario
beforeAll(async () => {
  f = await setupChainFixture()
  s = await setupScenario(f, { spare: true })
  SWAP_IN = f.pool.token1 === f.usdc ? 100n * 10n ** 6n : 5n * 10n ** 16n
})
afterAll(async () => {
  await f?.chain.stop()
})
beforeEach(async () => {
  await f.chain.provider.send('evm_setAutomine', [true])
  await s.restore()
})

class Crash extends Error {}
const GWEI = 10n ** 9n
/** Sold from the spare funds: 100 USDC or 0.05 WETH, whichever token1 is. */
let SWAP_IN: bigint

async function setBaseFee(weiPerGas: bigint): Promise<void> {
  await f.chain.provider.send('anvil_setNextBlockBaseFeePerGas', [toBeHex(weiPerGas)])
  await mineBlock(f.chain)
}

/** A one-step plan: a swap from the spare funds (enough to test the transaction layer). */
function swapPlan(id: string) {
  return planRebalance({ pool: f.pool, close: [], swap: { zeroForOne: false, amountInRaw: SWAP_IN }, mints: [], id })
}

describe('the plan transaction layer: fee cap, stuck transactions, nonce conflicts, gas vs gain', () => {
  it('a gas spike above maxFeePerGasCapWei: typed refusal naming the field, nothing sent; the plan resumes once fees fall', async () => {
    const store = new MemoryRebalancePlanStore()
    const nonce = await f.nonceOf(s.owner)
    await setBaseFee(500n * GWEI)
    const error = await executeRebalancePlan(s.context(), {
      plan: planRebalance({ pool: f.pool, close: [s.open[0]!], mints: [], id: 'spike' }),
      store,
      policy: POLICY,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MaxFeeExceededError)
    const spike = error as MaxFeeExceededError
    expect(spike.field).toBe('maxFeePerGasCapWei')
    expect(spike.maxFeePerGasCapWei).toBe(POLICY.maxFeePerGasCapWei)
    expect(spike.requiredFeePerGasWei).toBeGreaterThan(500n * GWEI)
    expect(spike.shortMessage).toContain('above maxFeePerGasCapWei = 100000000000')
    expect(await f.nonceOf(s.owner)).toBe(nonce)
    const saved = (await store.load())!
    expect([saved.status, saved.steps[0]!.status, saved.steps[0]!.txs.length]).toEqual(['running', 'pending', 0])

    await setBaseFee(1n * GWEI)
    const done = await resumeRebalancePlan(s.context(), { store, policy: POLICY })
    expect(done!.closed[0]!.skipped).toBe(false)
    expect(done!.plan.steps[0]!.txs[0]!.maxFeePerGasWei).toBeLessThanOrEqual(POLICY.maxFeePerGasCapWei)
  })

  it("onFeeAboveCap 'wait': waits while the base fee is above the cap, sends (under the cap) when it falls", async () => {
    await setBaseFee(500n * GWEI)
    const policy: TransactionPolicy = { ...POLICY, onFeeAboveCap: { wait: { pollMs: 50, maxWaitMs: 10_000 } } }
    const store = new MemoryRebalancePlanStore()
    const started = Date.now()
    const fall = new Promise<void>((resolve) => setTimeout(() => resolve(setBaseFee(GWEI)), 600))
    const result = await executeRebalancePlan(s.context(), { plan: swapPlan('wait'), store, policy })
    await fall
    expect(Date.now() - started).toBeGreaterThanOrEqual(550)
    const tx = result.plan.steps[0]!.txs[0]!
    expect(tx.maxFeePerGasWei).toBeLessThanOrEqual(POLICY.maxFeePerGasCapWei)
    expect(result.swap!.amount1Raw).toBe(SWAP_IN)
    // The same wait, bounded: still above the cap after maxWaitMs → the typed error, with nothing sent.
    await setBaseFee(500n * GWEI)
    const bounded: TransactionPolicy = { ...POLICY, onFeeAboveCap: { wait: { pollMs: 50, maxWaitMs: 300 } } }
    const nonce = await f.nonceOf(s.owner)
    await expect(
      executeRebalancePlan(s.context(), {
        plan: swapPlan('bounded'),
        store: new MemoryRebalancePlanStore(),
        policy: bounded,
      }),
    ).rejects.toBeInstanceOf(MaxFeeExceededError)
    expect(await f.nonceOf(s.owner)).toBe(nonce)
    await setBaseFee(GWEI)
  })

  it('a stuck transaction (automine off) is replaced after replaceAfterMs: same nonce, both fees +10 % + 1 wei; the replacement is mined', async () => {
    const policy: TransactionPolicy = { ...POLICY, replaceAfterMs: 400 }
    await f.chain.provider.send('evm_setAutomine', [false])
    try {
      const result = await executeRebalancePlan(s.context(), {
        plan: swapPlan('stuck'),
        store: new MemoryRebalancePlanStore(),
        policy,
        hooks: {
          afterBroadcast: async (step) => {
            if (step.txs.length === 2) await mineBlock(f.chain)
          },
        },
      })
      const [first, second] = result.plan.steps[0]!.txs
      expect(result.plan.steps[0]!.txs.length).toBe(2)
      expect(second!.nonce).toBe(first!.nonce)
      expect(second!.signedAtMs - first!.signedAtMs).toBeGreaterThanOrEqual(400)
      expect(second!.maxFeePerGasWei).toBeGreaterThanOrEqual(first!.maxFeePerGasWei + first!.maxFeePerGasWei / 10n + 1n)
      expect(second!.maxPriorityFeePerGasWei).toBeGreaterThanOrEqual(
        first!.maxPriorityFeePerGasWei + first!.maxPriorityFeePerGasWei / 10n + 1n,
      )
      expect(second!.maxFeePerGasWei).toBeLessThanOrEqual(policy.maxFeePerGasCapWei)
      expect((await f.chain.provider.getTransactionReceipt(second!.hash))?.status).toBe(1)
      expect(await f.chain.provider.getTransactionReceipt(first!.hash)).toBeNull()
      expect(result.swap!.amount1Raw).toBe(SWAP_IN)
    } finally {
      await f.chain.provider.send('evm_setAutomine', [true])
    }
  })

  it('killed after broadcasting a replacement, then mined: the resume checks every hash of the step and finds the replacement', async () => {
    const policy: TransactionPolicy = { ...POLICY, replaceAfterMs: 300 }
    const store = new MemoryRebalancePlanStore()
    await f.chain.provider.send('evm_setAutomine', [false])
    try {
      await expect(
        executeRebalancePlan(s.context(), {
          plan: swapPlan('stuck-crash'),
          store,
          policy,
          hooks: {
            afterBroadcast: (step) => {
              if (step.txs.length === 2) throw new Crash('killed after the replacement was broadcast')
            },
          },
        }),
      ).rejects.toBeInstanceOf(Crash)
      await mineBlock(f.chain)
    } finally {
      await f.chain.provider.send('evm_setAutomine', [true])
    }
    const nonce = await f.nonceOf(s.owner)
    const result = await resumeRebalancePlan(s.context(), { store, policy })
    const step = result!.plan.steps[0]!
    expect(step.txs.length).toBe(2)
    expect(step.note).toContain(`settled on resume from the receipt of ${step.txs[1]!.hash}`)
    expect(await f.nonceOf(s.owner)).toBe(nonce) // nothing new was sent
    expect(result!.swap!.amount1Raw).toBe(SWAP_IN)
  })

  it('a nonce taken by a transaction that is not ours: NonceConflictError; the resume re-runs the step with a new nonce', async () => {
    const store = new MemoryRebalancePlanStore()
    await f.chain.provider.send('evm_setAutomine', [false])
    try {
      const error = await executeRebalancePlan(s.context(), {
        plan: swapPlan('conflict'),
        store,
        policy: { ...POLICY, replaceAfterMs: 9_000 },
        hooks: {
          afterBroadcast: async (_step, hash) => {
            // Another process signing for the same wallet replaces our pending swap (same nonce, higher fee).
            const ours = (await f.chain.provider.getTransaction(hash))!
            await f.chain.provider.send('eth_sendRawTransaction', [
              await s.wallet.signTransaction({
                type: 2,
                chainId: f.chain.chainId,
                nonce: ours.nonce,
                to: s.owner,
                value: 0n,
                gasLimit: 21_000n,
                maxFeePerGas: ours.maxFeePerGas! * 3n,
                maxPriorityFeePerGas: ours.maxPriorityFeePerGas! * 3n,
              }),
            ])
            await mineBlock(f.chain)
          },
        },
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(NonceConflictError)
      const conflict = error as NonceConflictError
      const saved = (await store.load())!
      expect(conflict.nonce).toBe(saved.steps[0]!.txs[0]!.nonce)
      expect(conflict.ourHashes).toEqual([saved.steps[0]!.txs[0]!.hash])
    } finally {
      await f.chain.provider.send('evm_setAutomine', [true])
    }
    const result = await resumeRebalancePlan(s.context(), { store, policy: POLICY })
    const step = result!.plan.steps[0]!
    expect(step.note).toContain('used by a transaction that is not ours')
    expect(step.txs.length).toBe(2)
    expect(step.txs[1]!.nonce).toBe(step.txs[0]!.nonce + 1)
    expect(result!.swap!.amount1Raw).toBe(SWAP_IN)
  })

  it('gas vs gain: a plan whose gas (all steps, current fee) exceeds the expected gain is refused with both numbers, before anything is saved or sent', async () => {
    const ranges = await rangesAtPrice(f)
    const plan = planRebalance({
      pool: f.pool,
      close: [s.open[0]!],
      swap: { zeroForOne: false, amountInRaw: SWAP_IN },
      mints: [ranges.base, ranges.limitBelow],
      id: 'gas',
    })
    const store = new MemoryRebalancePlanStore()
    const nonce = await f.nonceOf(s.owner)
    const block = (await f.chain.provider.getBlock('latest'))!
    const priority = (await f.chain.provider.getFeeData()).maxPriorityFeePerGas!
    const fee = block.baseFeePerGas! + priority
    const gasUnits = DEFAULT_STEP_GAS.close + DEFAULT_STEP_GAS.swap + 2n * DEFAULT_STEP_GAS.mint
    const error = await executeRebalancePlan(s.context(), {
      plan,
      store,
      policy: POLICY,
      gasVsGain: { expectedGainWei: gasUnits * fee - 1n },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GasExceedsGainError)
    const refusal = error as GasExceedsGainError
    expect(refusal.gasUnits).toBe(1_350_000n)
    expect(refusal.gasCostWei).toBe(gasUnits * fee)
    expect(refusal.expectedGainWei).toBe(gasUnits * fee - 1n)
    expect(await store.load()).toBeNull()
    expect(await f.nonceOf(s.owner)).toBe(nonce)

    // Gain exactly covering the gas passes (ratio 1), and the result carries the numbers checked.
    const ok = await executeRebalancePlan(s.context(), {
      plan: swapPlan('gas-ok'),
      store,
      policy: POLICY,
      gasVsGain: { expectedGainWei: 10n ** 18n, minGainToGasRatio: 2 },
    })
    expect(ok.gasCheck!.gasUnits).toBe(DEFAULT_STEP_GAS.swap)
    expect(ok.gasCheck!.expectedGainWei).toBe(10n ** 18n)
    expect(ok.gasCheck!.gasCostWei).toBeGreaterThan(0n)
  })
})
