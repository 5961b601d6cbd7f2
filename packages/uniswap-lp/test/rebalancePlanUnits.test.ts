import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecutionContext } from '../src/chain/executionContext.js'
import type { PoolImmutables } from '../src/chain/readPoolImmutables.js'
import { InvalidParameterError } from '../src/errors/parameter.js'
import { GasExceedsGainError, RebalancePlanStateError, RebalancePlanStoreError } from '../src/errors/rebalance.js'
import { TickNotAlignedError } from '../src/errors/tick.js'
import { executeRebalancePlan } from '../src/rebalance/executeRebalancePlan.js'
import { bumpFees, chooseFees, minReplacementFee } from '../src/rebalance/fees.js'
import { checkGasVsGain, estimatePlanGas } from '../src/rebalance/gasVsGain.js'
import { planRebalance } from '../src/rebalance/planRebalance.js'
import {
  deserializeRebalancePlan,
  FileRebalancePlanStore,
  MemoryRebalancePlanStore,
  serializeRebalancePlan,
} from '../src/rebalance/planStore.js'
import type { TransactionPolicy } from '../src/rebalance/types.js'

const pool: PoolImmutables = {
  pool: '0x0000000000000000000000000000000000000001',
  token0: '0x0000000000000000000000000000000000000002',
  token1: '0x0000000000000000000000000000000000000003',
  feePips: 500,
  tickSpacing: 10,
} as PoolImmutables

const plan = () =>
  planRebalance({
    pool,
    close: [7n, 9n],
    swap: { zeroForOne: true, amountInRaw: 12_345_678_901_234_567_890n },
    mints: [
      { role: 'base', tickLower: -100, tickUpper: 100 },
      { role: 'limit', tickLower: 100, tickUpper: 160 },
    ],
    id: 'p1',
    createdAtMs: 1,
  })

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alp-plan-units-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('planRebalance (pure)', () => {
  it('one close per NFT, the swap, one mint per range, in that order, all pending', () => {
    const p = plan()
    expect(p.steps.map((s) => [s.index, s.kind, s.status])).toEqual([
      [0, 'close', 'pending'],
      [1, 'close', 'pending'],
      [2, 'swap', 'pending'],
      [3, 'mint', 'pending'],
      [4, 'mint', 'pending'],
    ])
    expect([p.schemaVersion, p.id, p.status, p.reserve]).toEqual([
      1,
      'p1',
      'planned',
      { amount0Raw: 0n, amount1Raw: 0n },
    ])
  })
  it('refuses duplicate NFTs, a zero swap, unaligned ticks and an empty plan', () => {
    expect(() => planRebalance({ pool, close: [7n, 7n], mints: [] })).toThrow(InvalidParameterError)
    expect(() => planRebalance({ pool, close: [], swap: { zeroForOne: true, amountInRaw: 0n }, mints: [] })).toThrow(
      InvalidParameterError,
    )
    expect(() =>
      planRebalance({ pool, close: [], mints: [{ role: 'base', tickLower: -105, tickUpper: 100 }] }),
    ).toThrow(TickNotAlignedError)
    expect(() => planRebalance({ pool, close: [], mints: [] })).toThrow(InvalidParameterError)
  })
})

describe('plan store', () => {
  it('round-trips bigints exactly (as {"$bigint": "…"}), with the schema version', () => {
    const p = plan()
    const text = serializeRebalancePlan(p)
    expect(text).toContain('{\n        "$bigint": "12345678901234567890"\n      }')
    expect(deserializeRebalancePlan(text)).toEqual(p)
    expect(() => deserializeRebalancePlan(text.replace('"schemaVersion": 1', '"schemaVersion": 2'))).toThrow(
      RebalancePlanStoreError,
    )
    expect(() => deserializeRebalancePlan('{"schemaVersion": 1')).toThrow(RebalancePlanStoreError)
  })
  it('the file store saves atomically (no temp file left), loads null when absent, clears', async () => {
    const path = join(dir, 'nested', 'plan.json')
    const store = new FileRebalancePlanStore(path)
    expect(await store.load()).toBeNull()
    const p = plan()
    await store.save(p)
    p.status = 'running'
    await store.save(p)
    expect((await store.load())!.status).toBe('running')
    expect(await readdir(join(dir, 'nested'))).toEqual(['plan.json'])
    expect(JSON.parse(await readFile(path, 'utf8')).steps[0].tokenId).toEqual({ $bigint: '7' })
    await store.clear()
    expect(await store.load()).toBeNull()
  })
  it('a corrupt file is a typed error, never a silent empty plan', async () => {
    const path = join(dir, 'corrupt.json')
    await writeFile(path, '{"schemaVersion": 1, "steps": [')
    const error = await new FileRebalancePlanStore(path).load().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RebalancePlanStoreError)
    expect((error as RebalancePlanStoreError).operation).toBe('load')
  })
})

describe('fees (pure)', () => {
  it('a new transaction: min(2 × base + priority, cap); above the cap when base + priority > cap', () => {
    expect(chooseFees({ baseFeePerGasWei: 10n, priorityFeePerGasWei: 2n, maxFeePerGasCapWei: 100n })).toEqual({
      aboveCap: false,
      maxFeePerGasWei: 22n,
      maxPriorityFeePerGasWei: 2n,
    })
    expect(chooseFees({ baseFeePerGasWei: 60n, priorityFeePerGasWei: 2n, maxFeePerGasCapWei: 100n })).toEqual({
      aboveCap: false,
      maxFeePerGasWei: 100n,
      maxPriorityFeePerGasWei: 2n,
    })
    expect(chooseFees({ baseFeePerGasWei: 99n, priorityFeePerGasWei: 2n, maxFeePerGasCapWei: 100n })).toEqual({
      aboveCap: true,
      requiredFeePerGasWei: 101n,
    })
  })
  it('a replacement: both fields ≥ old + 10 % + 1 wei (rounded up), capped; null when the cap forbids the bump', () => {
    expect(minReplacementFee(100n)).toBe(111n)
    expect(minReplacementFee(101n)).toBe(113n) // 10.1 rounds up to 11
    expect(minReplacementFee(0n)).toBe(1n)
    const previous = { maxFeePerGasWei: 1_000n, maxPriorityFeePerGasWei: 100n }
    expect(
      bumpFees({ previous, baseFeePerGasWei: 10n, priorityFeePerGasWei: 1n, maxFeePerGasCapWei: 10_000n }),
    ).toEqual({
      maxFeePerGasWei: 1_101n,
      maxPriorityFeePerGasWei: 111n,
    })
    // The chain now needs more than the bump: follow the chain.
    expect(
      bumpFees({ previous, baseFeePerGasWei: 2_000n, priorityFeePerGasWei: 500n, maxFeePerGasCapWei: 10_000n }),
    ).toEqual({ maxFeePerGasWei: 4_500n, maxPriorityFeePerGasWei: 500n })
    // Capped between the minimum bump and the wanted fee: the cap.
    expect(
      bumpFees({ previous, baseFeePerGasWei: 2_000n, priorityFeePerGasWei: 500n, maxFeePerGasCapWei: 3_000n }),
    ).toEqual({ maxFeePerGasWei: 3_000n, maxPriorityFeePerGasWei: 500n })
    expect(
      bumpFees({ previous, baseFeePerGasWei: 10n, priorityFeePerGasWei: 1n, maxFeePerGasCapWei: 1_100n }),
    ).toBeNull()
  })
})

describe('gas vs gain (pure)', () => {
  it('counts the steps not done yet; refuses with both numbers below gain ≥ gas × ratio', () => {
    const p = plan()
    expect(estimatePlanGas(p)).toBe(2n * 200_000n + 150_000n + 2n * 500_000n)
    p.steps[0]!.status = 'done'
    expect(estimatePlanGas(p, { mint: 1n })).toBe(200_000n + 150_000n + 2n)
    const gas = 200_000n + 150_000n + 2n
    expect(
      checkGasVsGain({ plan: p, feePerGasWei: 10n, gasVsGain: { expectedGainWei: gas * 10n, stepGas: { mint: 1n } } }),
    ).toEqual({
      gasUnits: gas,
      gasCostWei: gas * 10n,
      expectedGainWei: gas * 10n,
    })
    const error = (() => {
      try {
        checkGasVsGain({
          plan: p,
          feePerGasWei: 10n,
          gasVsGain: { expectedGainWei: gas * 10n, stepGas: { mint: 1n }, minGainToGasRatio: 1.5 },
        })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(GasExceedsGainError)
    expect((error as GasExceedsGainError).gasCostWei).toBe(gas * 10n)
    expect((error as GasExceedsGainError).expectedGainWei).toBe(gas * 10n)
    expect((error as GasExceedsGainError).minGainToGasRatio).toBe(1.5)
  })
})

describe('executeRebalancePlan refuses before any chain I/O', () => {
  // No provider at all: reaching the chain would throw a TypeError, not the typed errors below.
  const ctx = { guards: { receiptTimeoutMs: 10_000 } } as unknown as ExecutionContext
  const policy: TransactionPolicy = { maxFeePerGasCapWei: 10n ** 11n, onFeeAboveCap: 'fail', replaceAfterMs: 2_000 }

  it('an unfinished plan in the store is never overwritten by a new one', async () => {
    const store = new MemoryRebalancePlanStore()
    const running = plan()
    running.status = 'running'
    running.steps[0]!.status = 'done'
    await store.save(running)
    const other = planRebalance({ pool, close: [11n], mints: [], id: 'p2' })
    const error = await executeRebalancePlan(ctx, { plan: other, store, policy }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RebalancePlanStateError)
    expect((error as RebalancePlanStateError).planId).toBe('p1')
    expect((error as RebalancePlanStateError).step).toBe(1)
    expect((await store.load())!.id).toBe('p1')
  })

  it('a policy that could never replace a stuck transaction, or a zero cap, is an InvalidParameterError naming the field', async () => {
    const store = new MemoryRebalancePlanStore()
    for (const [bad, field] of [
      [{ ...policy, replaceAfterMs: 10_000 }, 'replaceAfterMs'],
      [{ ...policy, maxFeePerGasCapWei: 0n }, 'maxFeePerGasCapWei'],
      [{ ...policy, onFeeAboveCap: { wait: { pollMs: 0, maxWaitMs: 1 } } }, 'onFeeAboveCap.wait'],
    ] as const) {
      const error = await executeRebalancePlan(ctx, { plan: plan(), store, policy: bad }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidParameterError)
      expect((error as InvalidParameterError).field).toBe(field)
    }
  })
})
