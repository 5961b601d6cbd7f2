import { increaseTime } from '@alp/venue-sim/chain'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { positionManagerInterface } from '../src/chain/interfaces.js'
import { createRebalancePlanExecutor } from '../src/manager/createRebalancePlanExecutor.js'
import type { LpRebalanceExecution } from '../src/manager/describeExecution.js'
import { MemoryRebalancePlanStore } from '../src/rebalance/planStore.js'
import { type ManagerFixture, setupManagerFixture } from './helpers/managerFixture.js'

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

async function chainPosition(tokenId: bigint) {
  const r = positionManagerInterface.decodeFunctionResult(
    'positions',
    await f.chain.provider.call({
      to: f.chain.uniswap.positionManager,
      data: positionManagerInterface.encodeFunctionData('positions', [tokenId]),
    }),
  )
  return { tickLower: Number(r.tickLower), tickUpper: Number(r.tickUpper), liquidity: BigInt(r.liquidity) }
}

async function receiptGas(hash: string): Promise<bigint> {
  const receipt = await f.chain.provider.getTransactionReceipt(hash)
  return receipt!.gasUsed * receipt!.gasPrice
}

describe("LpManager 'executed' event", () => {
  it('carries what the plan executor minted and closed, with tx hashes and the gas their receipts paid', async () => {
    const policy = { maxFeePerGasCapWei: 100n * 10n ** 9n, onFeeAboveCap: 'fail' as const, replaceAfterMs: 2_000 }
    const executor = createRebalancePlanExecutor({
      ctx: f.context(),
      pool: f.pool,
      store: new MemoryRebalancePlanStore(),
      policy,
    })
    const manager = f.newManager({ executor })
    const executions: LpRebalanceExecution[] = []
    manager.on('executed', (e) => executions.push(e))
    await manager.start()
    expect(executions).toHaveLength(1)
    const first = executions[0]!
    expect(first.request.reason).toBe('NO_POSITION')
    expect(first.id).toBe(executor.lastResult!.plan.id)
    expect(first.closed).toEqual([])
    expect(first.minted.map((m) => m.role)).toEqual(first.request.mints.map((m) => m.role))
    let paid = 0n
    for (const m of first.minted) {
      // The chain's own record of the NFT: ticks and liquidity equal the event's.
      expect(await chainPosition(m.tokenId)).toEqual({
        tickLower: m.tickLower,
        tickUpper: m.tickUpper,
        liquidity: m.liquidity,
      })
      expect(m.liquidity).toBeGreaterThan(0n)
      expect(m.amount0Raw + m.amount1Raw).toBeGreaterThan(0n)
      expect(m.txHash).toMatch(/^0x[0-9a-f]{64}$/)
      const gas = await receiptGas(m.txHash!)
      expect(gas).toBeGreaterThan(0n)
      expect(m.gasCostWei).toBe(gas)
      paid += gas
    }
    expect(first.gasPaidWei).toBe(paid)
    // A listener that joins after start() finds it in the snapshot.
    expect(manager.snapshot().lastExecution?.id).toBe(first.id)

    // Out of range: the next execution closes the minted NFTs; the collected amounts are the plan's.
    await manager.step()
    const base = manager.snapshot().ranges.find((r) => r.role === 'base')!
    await f.moveTickTo(base.tickUpper + 30)
    await increaseTime(f.chain, 1_200)
    manager.setRangeHalfWidthBps(600)
    await manager.step()
    expect(executions).toHaveLength(2)
    const second = executions[1]!
    expect(second.request.reason).toBe('PRICE_OUT_OF_RANGE')
    expect(second.closed.map((c) => c.tokenId).sort()).toEqual(first.minted.map((m) => m.tokenId).sort())
    for (const c of second.closed) {
      const minted = first.minted.find((m) => m.tokenId === c.tokenId)!
      expect([c.tickLower, c.tickUpper, c.liquidity]).toEqual([minted.tickLower, minted.tickUpper, minted.liquidity])
      const planned = executor.lastResult!.closed.find((x) => x.tokenId === c.tokenId)!
      expect([c.collected0Raw, c.collected1Raw]).toEqual([planned.collected0Raw, planned.collected1Raw])
      expect(c.gasCostWei).toBe(await receiptGas(c.txHash!))
      // Burned: the position manager no longer knows the NFT.
      await expect(chainPosition(c.tokenId)).rejects.toThrow()
    }
    expect(second.minted.length).toBeGreaterThan(0)
  }, 90_000)
})
