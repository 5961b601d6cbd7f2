import { fileURLToPath } from 'node:url'
import {
  fundAccount,
  type LocalChain,
  readPoolEvents,
  replayPoolDay,
  sendLocalTransaction,
  startLocalChain,
} from '@alp/venue-sim/chain'
import { Interface } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POOL_EVENT_TOPICS } from '../src/chain/decodePoolLog.js'
import { positionManagerInterface } from '../src/chain/interfaces.js'
import { fromSeedConfig } from '../src/config/fromSeedConfig.js'
import type { InventoryUpdate } from '../src/inventory/types.js'
import { createHttpJsonRpc } from '../src/manager/jsonRpc.js'
import { createLpManager } from '../src/manager/LpManager.js'
import { MAX_UINT128 } from '../src/math/constants.js'
import { installMulticall3 } from './helpers/multicall3.js'

// The first 600 events of 2024-01-05 on the mainnet USDC/WETH 0.05 % pool, replayed as real transactions on anvil
// (venue-sim replayPoolDay: the recorded price path through price limits, in the record's blocks).
const DAY_2024 = fileURLToPath(
  new URL(
    '../../../data/uniswap-mainnet-2024-01-05/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.tick.csv',
    import.meta.url,
  ),
)
const SLICE = 600
const approve = new Interface(['function approve(address spender, uint256 amount) returns (bool)'])

let chain: LocalChain
beforeAll(async () => {
  chain = await startLocalChain()
  await installMulticall3(chain)
}, 60_000)
afterAll(async () => {
  await chain?.stop()
})

describe('LpManager following a replayed mainnet day slice (2024-01-05) on anvil', () => {
  it('counts every replayed Swap exactly once while the day runs, and its fees equal what collect() pays', async () => {
    const events = readPoolEvents(DAY_2024).slice(0, SLICE)
    // priceTarget 'exact': with our position in range the recorded amounts would move the price less than on mainnet.
    const replay = replayPoolDay({ chain, events, priceTarget: 'exact' })
    const setup = await replay.ready
    replay.pause()
    // The replay turns automine off when it starts and then holds before its first block: wait for the first.
    for (let i = 0; (await chain.provider.send('anvil_getAutomine', [])) === true; i++) {
      if (i > 600) throw new Error('the replay did not start')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await new Promise((resolve) => setTimeout(resolve, 200)) // its nonce and block-gas-limit calls come right after
    // Our LP (anvil account 2) mints one ±300-tick range around the opening price while the replay holds.
    const owner = chain.accounts[2]!
    const rpc = (method: string, params: unknown[]) => chain.provider.send(method, params)
    await rpc('evm_setAutomine', [true])
    const amount0 = 200_000n * 10n ** 6n
    const amount1 = 100n * 10n ** 18n
    await fundAccount(chain, { token: setup.usdc, account: owner, amountRaw: amount0 })
    await fundAccount(chain, { token: setup.weth, account: owner, amountRaw: amount1 })
    for (const token of [setup.pool.token0, setup.pool.token1])
      await sendLocalTransaction(
        chain.provider,
        {
          from: owner,
          to: token,
          data: approve.encodeFunctionData('approve', [chain.uniswap.positionManager, 2n ** 255n]),
        },
        'approve',
      )
    const slot0 = poolSlot0Tick(await chain.provider.call({ to: setup.pool.pool, data: SLOT0 }))
    const center = Math.round(slot0 / 10) * 10
    await sendLocalTransaction(
      chain.provider,
      {
        from: owner,
        to: chain.uniswap.positionManager,
        data: positionManagerInterface.encodeFunctionData('mint', [
          {
            token0: setup.pool.token0,
            token1: setup.pool.token1,
            fee: 500,
            tickLower: center - 300,
            tickUpper: center + 300,
            amount0Desired: amount0,
            amount1Desired: amount1,
            amount0Min: 0,
            amount1Min: 0,
            recipient: owner,
            deadline: 2n ** 40n,
          },
        ]),
      },
      'mint',
    )
    await rpc('evm_setAutomine', [false])

    const seed = fromSeedConfig(
      { BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'AS' },
      { minIntervalMs: 0 },
    )
    const manager = createLpManager({
      rpc: createHttpJsonRpc({ url: chain.rpcUrl, timeoutMs: 10_000 }),
      pool: setup.pool.pool,
      positionManager: chain.uniswap.positionManager,
      owner,
      baseToken: 'token1',
      confirmations: 0,
      maxBlockRange: 50,
      policy: seed.policy,
      planner: seed.planner,
      executor: null,
    })
    const updates: InventoryUpdate[] = []
    manager.on('inventory', (u) => updates.push(u))
    await manager.start()
    const baseline = manager.snapshot().lastProcessedBlock
    expect(manager.snapshot().ranges).toHaveLength(1)

    // The day runs; the manager steps while blocks keep coming (reads only: the replay owns the block production).
    replay.resume()
    let finished = false
    const done = replay.done.then((r) => {
      finished = true
      return r
    })
    while (!finished) {
      await manager.step()
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const report = await done
    await manager.step()

    const s = manager.snapshot()
    const swapLogs = await chain.provider.getLogs({
      address: setup.pool.pool,
      topics: [POOL_EVENT_TOPICS.swap],
      fromBlock: baseline + 1,
      toBlock: s.lastProcessedBlock,
    })
    process.stderr.write(
      `replayed ${report.events} events in ${report.blocks} blocks: ${report.swapsSent} swaps sent (${report.swapsExactPrice} at the recorded price exactly); manager: ${s.swaps} swaps, ${updates.length} inventory updates, fees ${s.uncollectedFees.amount0Raw}/${s.uncollectedFees.amount1Raw} raw\n`,
    )
    expect(report.swapsSent).toBeGreaterThan(400)
    expect(report.swapsExactPrice).toBe(report.swapsSent)
    expect(s.swaps).toBe(swapLogs.length)
    expect(s.swaps).toBe(report.swapsSent)
    // Inventory: one update per change, seq without gaps.
    expect(updates.length).toBeGreaterThan(10)
    expect(updates.map((u) => u.seq)).toEqual(updates.map((_, i) => i + 1))
    // The position's fees to the wei: what collect() would pay now, as an eth_call from the owner.
    const position = s.holdings!.positions[0]!
    const collect = positionManagerInterface.decodeFunctionResult(
      'collect',
      await chain.provider.call({
        from: owner,
        to: chain.uniswap.positionManager,
        data: positionManagerInterface.encodeFunctionData('collect', [
          { tokenId: BigInt(position.tokenId), recipient: owner, amount0Max: MAX_UINT128, amount1Max: MAX_UINT128 },
        ]),
      }),
    )
    expect({ fees0: position.fees0Raw, fees1: position.fees1Raw }).toEqual({
      fees0: BigInt(collect.amount0),
      fees1: BigInt(collect.amount1),
    })
    expect(position.fees0Raw + position.fees1Raw).toBeGreaterThan(0n)
    // Every step's holdings were read at a processed block; the last one is the chain head (confirmations 0).
    expect(s.lastProcessedBlock).toBe(await chain.provider.getBlockNumber())
  }, 240_000)
})

const SLOT0 = '0x3850c7bd'
function poolSlot0Tick(data: string): number {
  // slot0(): (uint160 sqrtPriceX96, int24 tick, …); the tick is the second word, sign-extended.
  const word = BigInt(`0x${data.slice(2 + 64, 2 + 128)}`)
  return Number(word >= 1n << 255n ? word - (1n << 256n) : word)
}
