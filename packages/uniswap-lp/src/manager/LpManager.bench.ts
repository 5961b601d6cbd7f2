import { afterAll, bench, describe } from 'vitest'
import { setupManagerFixture } from '../../test/helpers/managerFixture.js'
import { poolInterface, swapRouterInterface } from '../chain/interfaces.js'
import type { InventoryUpdate } from '../inventory/types.js'
import { createBatchReader } from './batchReader.js'
import { computeHoldings } from './computeHoldings.js'
import { enumerateOwnedTokenIds, readChainHoldings } from './readChainHoldings.js'

// One anvil with the real v3 contracts and Multicall3 (test/helpers/managerFixture.ts), the LP owning 50 positions
// of 50 different ranges around the price. Both sides of each comparison run against the same node in the same run;
// the figures printed at the end are medians (and p99) of our own per-iteration samples, as ratios.
const POSITIONS = 50
const ITERATIONS = 30
const f = await setupManagerFixture()
for (let i = 0; i < POSITIONS; i++)
  await f.mintAround(1 + (i % 25), 1 + ((i * 7) % 25), 1_000n * 10n ** 6n, 5n * 10n ** 17n)
/** A JSON-RPC client that adds up its requests and the time spent waiting on the node (read and reset by take()). */
function countingRpc() {
  const inner = f.rpc()
  let requests = 0
  let waitMs = 0
  return {
    request: async (method: string, params: readonly unknown[]) => {
      const t0 = performance.now()
      try {
        return await inner.request(method, params)
      } finally {
        requests++
        waitMs += performance.now() - t0
      }
    },
    take() {
      const r = { requests, waitMs }
      requests = 0
      waitMs = 0
      return r
    },
  }
}
const rpc = countingRpc()
const batched = await createBatchReader({ rpc })
const individual = await createBatchReader({ rpc, multicall3: null })
if (batched.mode !== 'multicall3' || individual.mode !== 'individual') throw new Error('reader modes are not as set up')
const pool = {
  address: f.pool.pool,
  token0: f.pool.token0,
  token1: f.pool.token1,
  feePips: f.pool.feePips,
}
const block0 = await f.chain.provider.getBlockNumber()
const tokenIds = await enumerateOwnedTokenIds({
  reader: batched,
  blockNumber: block0,
  positionManager: f.chain.uniswap.positionManager,
  owner: f.owner,
})
if (tokenIds.length !== POSITIONS) throw new Error(`the LP owns ${tokenIds.length} positions, not ${POSITIONS}`)

const refresh = async (reader: typeof batched, blockNumber: number) =>
  computeHoldings(
    await readChainHoldings({
      reader,
      blockNumber,
      pool,
      positionManager: f.chain.uniswap.positionManager,
      owner: f.owner,
      tokenIds,
    }),
  )
// Both ways read the same thing (checked once, field by field).
{
  const a = JSON.stringify(await refresh(batched, block0), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  const b = JSON.stringify(await refresh(individual, block0), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  if (a !== b) throw new Error('Multicall3 and one-call-per-read holdings differ')
}

const samples: Record<string, number[]> = {}
const calls: Record<string, number[]> = {}
const record = (name: string, ms: number) => {
  samples[name] ??= []
  samples[name].push(ms)
}
const WARMUP = 2
/** Quantile of the measured iterations (the first WARMUP samples are tinybench's warm-up calls). */
const quantile = (xs: number[], q: number) => {
  const s = xs.slice(WARMUP).sort((x, y) => x - y)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}
const options = { iterations: ITERATIONS, time: 0, warmupIterations: WARMUP, warmupTime: 0 }

describe(`holdings refresh, ${POSITIONS} positions (anvil, one block)`, () => {
  for (const [name, reader] of [
    ['Multicall3 (aggregate3)', batched],
    ['one eth_call per read', individual],
  ] as const) {
    bench(
      name,
      async () => {
        const before = reader.rpcCalls
        rpc.take()
        const t0 = performance.now()
        await refresh(reader, block0)
        record(`refresh: ${name}`, performance.now() - t0)
        record(`refresh: ${name}, JSON-RPC wait`, rpc.take().waitMs)
        calls[name] ??= []
        calls[name].push(reader.rpcCalls - before)
      },
      options,
    )
  }
})

// A small swap from the trader, alternating direction. Automine is off (set below, after the manager's start), so
// the swap waits in the mempool until evm_mine, whose answer arrives once the block holding it is mined: that arrival
// is the "mined" instant. The receipt is checked after the measurement, outside both clocks.
let direction = false
async function swapMined(): Promise<{ hash: string; tMinedMs: number }> {
  direction = !direction
  const zeroForOne = direction
  const tokenIn = zeroForOne ? f.pool.token0 : f.pool.token1
  const inIsUsdc = tokenIn.toLowerCase() === f.usdc.toLowerCase()
  const data = swapRouterInterface.encodeFunctionData('exactInputSingle', [
    {
      tokenIn,
      tokenOut: zeroForOne ? f.pool.token1 : f.pool.token0,
      fee: f.pool.feePips,
      recipient: f.trader,
      deadline: 2n ** 40n,
      amountIn: inIsUsdc ? 2_000n * 10n ** 6n : 10n ** 18n,
      amountOutMinimum: 0n,
      sqrtPriceLimitX96: 0n,
    },
  ])
  const hash = (await rpc.request('eth_sendTransaction', [
    { from: f.trader, to: f.chain.uniswap.swapRouter, data, gas: '0x7a120' },
  ])) as string
  await rpc.request('evm_mine', [])
  return { hash, tMinedMs: performance.now() }
}
async function checkMined(hash: string): Promise<void> {
  const receipt = (await rpc.request('eth_getTransactionReceipt', [hash])) as { status: string } | null
  if (receipt === null || receipt.status !== '0x1')
    throw new Error(`the swap is not mined, or reverted: ${JSON.stringify(receipt)}`)
}

const managerRpc = countingRpc()
const manager = f.newManager({ confirmations: 0, rpc: managerRpc })
let lastInventoryMs = 0
manager.on('inventory', (_u: InventoryUpdate) => {
  lastInventoryMs = performance.now()
})
await manager.start()
await rpc.request('evm_setAutomine', [false])

describe('Swap log -> inventory event (confirmations 0)', () => {
  bench(
    'LpManager.step() right after the swap is mined',
    async () => {
      const { hash, tMinedMs } = await swapMined()
      lastInventoryMs = 0
      managerRpc.take()
      const report = await manager.step()
      const used = managerRpc.take()
      if (report.published === null || lastInventoryMs === 0) throw new Error('the swap published no inventory')
      record('latency: manager', lastInventoryMs - tMinedMs)
      record('manager: JSON-RPC wait per step', used.waitMs)
      calls['manager step'] ??= []
      calls['manager step'].push(used.requests)
      await checkMined(hash)
    },
    options,
  )
  bench(
    'floor: one eth_getLogs + one eth_call (slot0)',
    async () => {
      const { hash, tMinedMs } = await swapMined()
      const logs = (await rpc.request('eth_getLogs', [
        { address: f.pool.pool, fromBlock: 'latest', toBlock: 'latest' },
      ])) as unknown[]
      await rpc.request('eth_call', [{ to: f.pool.pool, data: poolInterface.encodeFunctionData('slot0') }, 'latest'])
      record('latency: floor', performance.now() - tMinedMs)
      if (logs.length === 0) throw new Error('no Swap log in the swap block')
      await checkMined(hash)
    },
    options,
  )
})

afterAll(async () => {
  await f.chain.stop()
  const line = (name: string) => {
    const xs = samples[name] ?? []
    return `${name}: n=${xs.length - WARMUP} p50=${quantile(xs, 0.5).toFixed(2)} ms p99=${quantile(xs, 0.99).toFixed(2)} ms`
  }
  const ratio = (a: string, b: string) => (quantile(samples[a] ?? [], 0.5) / quantile(samples[b] ?? [], 0.5)).toFixed(2)
  const out = [
    `# LP manager benchmarks (${POSITIONS} positions, medians of this run)`,
    line('refresh: Multicall3 (aggregate3)'),
    line('refresh: Multicall3 (aggregate3), JSON-RPC wait'),
    line('refresh: one eth_call per read'),
    line('refresh: one eth_call per read, JSON-RPC wait'),
    `eth_calls per refresh: Multicall3 ${calls['Multicall3 (aggregate3)']?.[0]}, one per read ${calls['one eth_call per read']?.[0]}`,
    `ratio one-per-read / Multicall3 (p50): ${ratio('refresh: one eth_call per read', 'refresh: Multicall3 (aggregate3)')}`,
    line('latency: manager'),
    line('manager: JSON-RPC wait per step'),
    `JSON-RPC requests per step: ${calls['manager step']?.[WARMUP]}`,
    line('latency: floor'),
    `ratio manager / floor (p50): ${ratio('latency: manager', 'latency: floor')}`,
  ]
  console.log(out.join('\n'))
})
