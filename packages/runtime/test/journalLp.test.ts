import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InventoryUpdate, LpRebalanceExecution } from '@alp/uniswap-lp'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { fundAccount, increaseTime, sendLocalTransaction } from '@alp/venue-sim/chain'
import { Interface, id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli/main.js'
import { loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import { createPnlSnapshotter, journalLpMessage } from '../src/journal/createPnlSnapshotter.js'
import { Journal } from '../src/journal/Journal.js'
import { startLpManagerRole } from '../src/roles/startLpManagerRole.js'
import { createZmqBus } from '../src/transport/createZmqBus.js'
import { freeLoopbackEndpoints } from '../src/transport/freeLoopbackEndpoints.js'
import { type InventoryMessage, RECENT_LP_ACTIONS, TOPICS, type TopicState } from '../src/transport/topics.js'
import { DEPLOYMENT_ENV, writeDeploymentIni } from './deploymentConfig.js'
import { type DeploymentPool, startDeploymentPool } from './deploymentPool.js'
import { startBinanceVenue, waitFor } from './deploymentVenue.js'

// The journal gets the LP side: a deployment with the real lp-manager (built from [LP], the persisted plan executor)
// on anvil with the v3 contracts, for a wallet with no position: the manager mints at its start, the role publishes
// the execution as `lp.action`, the trader journals mint rows (compared with the NonfungiblePositionManager's own
// positions() and the transactions' receipts) and PnL snapshots; `alp history --json` reports the rebalance.

const npm = new Interface([
  'function positions(uint256) view returns (uint96, address, address, address, uint24, int24, int24, uint128, uint256, uint256, uint128, uint128)',
])
const poolAbi = new Interface([
  'function token0() view returns (address)',
  'function token1() view returns (address)',
  'function increaseObservationCardinalityNext(uint16)',
])

const dir = mkdtempSync(join(tmpdir(), 'alp-journal-lp-'))
let pool: DeploymentPool
let emu: RunningBinanceEmulator
let deployment: Deployment | null = null
const errors: unknown[] = []

beforeAll(async () => {
  pool = await startDeploymentPool()
  emu = await startBinanceVenue(21)
  const { chain } = pool
  const call = async (fn: string) =>
    String(
      poolAbi.decodeFunctionResult(
        fn,
        await chain.provider.call({ to: pool.poolAddress, data: poolAbi.encodeFunctionData(fn, []) }),
      )[0],
    )
  const token0 = await call('token0')
  const token1 = await call('token1')
  const wethIs0 = (await pool.publish()).baseToken === 'token0'
  const weth = wethIs0 ? token0 : token1
  const usdc = wethIs0 ? token1 : token0
  // A wallet with no position (account 5) holding 1 WETH and 2680 USDC: the manager plans from NO_POSITION and mints.
  const wallet = chain.accounts[5] as string
  await fundAccount(chain, { token: weth, account: wallet, amountRaw: 10n ** 18n })
  await fundAccount(chain, { token: usdc, account: wallet, amountRaw: 2_680n * 10n ** 6n })
  await sendLocalTransaction(
    chain.provider,
    {
      from: chain.accounts[0] as string,
      to: pool.poolAddress,
      data: poolAbi.encodeFunctionData('increaseObservationCardinalityNext', [64]),
    },
    'oracle cardinality',
  )
  await increaseTime(chain, 1_200) // a full TWAP window (the write side's guard)
  const file = writeDeploymentIni(dir, emu, {
    lp: { rpcUrl: chain.rpcUrl, pool: pool.poolAddress, positionManager: chain.uniswap.positionManager },
  })
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      'WALLET_KEY = env:LP_KEY\n',
      [
        'WALLET_KEY = env:LP_FRESH',
        `BASE_TOKEN = ${weth}`,
        `SWAP_ROUTER_ADDRESS = ${chain.uniswap.swapRouter}`,
        `QUOTER_V2_ADDRESS = ${chain.uniswap.quoterV2}`,
        'CONFIRMATIONS = 0',
        'STEP_INTERVAL_MS = 100',
        'RECEIPT_POLL_INTERVAL_MS = 20',
        'RECEIPT_TIMEOUT_MS = 30000',
        'REPLACE_AFTER_MS = 20000',
        '',
      ].join('\n'),
    ),
  )
  const config = loadConfigFiles([file], { env: { ...DEPLOYMENT_ENV, LP_FRESH: chain.testPrivateKeys[5] } })
  deployment = createDeployment(config, { timerIntervalMs: 50, onError: (error) => errors.push(error) })
  await deployment.start()
}, 180_000)

afterAll(async () => {
  await deployment?.stop({ timeoutMs: 5_000 }).catch(() => undefined)
  await emu?.close()
  await pool?.stop()
})

describe('journal: LP actions and PnL snapshots', () => {
  it('the mint rows carry the chain’s ticks, liquidity and amounts; PnL snapshots; alp history reports the rebalance', async () => {
    const path = join(dir, 'data', 'journal.sqlite')
    const reader = new Journal(path)
    try {
      await waitFor(
        () => reader.lpActions({ action: 'rebalance' }).length > 0,
        `a rebalance journaled (errors: ${errors.map(String).join(' | ')})`,
        60_000,
      )
      await waitFor(() => reader.pnlSnapshots().length > 0, 'a first PnL snapshot', 30_000)
    } finally {
      reader.close()
    }
    await deployment!.stop({ timeoutMs: 10_000 })
    deployment = null

    const journal = new Journal(path)
    try {
      const mints = journal.lpActions({ action: 'mint' })
      expect(mints.length).toBeGreaterThanOrEqual(1)
      const rebalance = journal.lpActions({ action: 'rebalance' })
      expect(rebalance).toHaveLength(1)
      const executionId = (rebalance[0]!.detail as { executionId: string; reason: string }).executionId
      expect((rebalance[0]!.detail as { reason: string }).reason).toBe('NO_POSITION')
      let gas = 0n
      for (const mint of mints) {
        const detail = mint.detail as { executionId: string; liquidity: string; role: string }
        expect(detail.executionId).toBe(executionId)
        // The position manager's own record of the NFT.
        const position = npm.decodeFunctionResult(
          'positions',
          await pool.chain.provider.call({
            to: pool.chain.uniswap.positionManager,
            data: npm.encodeFunctionData('positions', [BigInt(mint.tokenId!)]),
          }),
        )
        expect([mint.tickLower, mint.tickUpper, detail.liquidity]).toEqual([
          Number(position[5]),
          Number(position[6]),
          String(position[7]),
        ])
        // The amounts the mint's IncreaseLiquidity event reports (the pool took them from the wallet).
        const receipt = await pool.chain.provider.getTransactionReceipt(mint.txHash!)
        expect(receipt?.status).toBe(1)
        const increase = receipt!.logs.find(
          (log) =>
            log.address.toLowerCase() === pool.chain.uniswap.positionManager.toLowerCase() &&
            log.topics[0] === id('IncreaseLiquidity(uint256,uint128,uint256,uint256)'),
        )!
        expect(BigInt(increase.topics[1]!)).toBe(BigInt(mint.tokenId!))
        const words = increase.data
          .slice(2)
          .match(/.{64}/g)!
          .map((w) => BigInt(`0x${w}`))
        expect([String(words[0]), mint.amount0Raw, mint.amount1Raw]).toEqual([
          detail.liquidity,
          String(words[1]),
          String(words[2]),
        ])
        expect(mint.gasCostWei).toBe(String(receipt!.gasUsed * receipt!.gasPrice))
        gas += receipt!.gasUsed * receipt!.gasPrice
      }
      const snapshots = journal.pnlSnapshots()
      // The first lp.pnl and the stop.
      expect(snapshots.length).toBeGreaterThanOrEqual(2)
      // The LP holds what the wallet was funded with, 1 WETH + 2680 USDC at 2680 USDC per WETH: about 5360 USD.
      expect(Number(snapshots[0]!.valueUsd)).toBeGreaterThan(5_300)
      expect(Number(snapshots[0]!.valueUsd)).toBeLessThan(5_400)
      expect(Number(snapshots.at(-1)!.feesPaidUsd)).toBeGreaterThan(0) // the mints' gas
      expect(journal.history().gasCostWei).toBe(String(gas))
    } finally {
      journal.close()
    }

    let stdout = ''
    const code = await main(['node', 'alp', 'history', '--json', '--journal', path], {
      stdout: (t) => (stdout += t),
      stderr: () => {},
      env: {},
      readStdin: async () => '',
    })
    expect(code).toBe(0)
    const { summary } = JSON.parse(stdout) as {
      summary: { rebalances: number; returnPct: string | null; pnlUsd: string | null }
    }
    expect(summary.rebalances).toBe(1)
    expect(summary.returnPct).toMatch(/^-?[0-9]+(\.[0-9]+)?$/)
    expect(summary.pnlUsd).not.toBeNull()
  }, 180_000)
})

/** An execution as the live LP manager emits it: one NFT closed, one minted (raw amounts as bigints). */
function execution(id: string, tsMs: number): LpRebalanceExecution {
  return {
    id,
    tsMs,
    decidedAtBlock: 100,
    request: {
      reason: 'PRICE_OUT_OF_RANGE',
      close: [7n],
      mints: [{ role: 'base', tickLower: -600, tickUpper: 600 }],
      ranges: {} as LpRebalanceExecution['request']['ranges'],
      expectedGainUsd: 3.5,
      gasCostUsd: 1.25,
    },
    result: null,
    closed: [
      {
        tokenId: 7n,
        tickLower: -1200,
        tickUpper: 0,
        liquidity: 123456789012345678901234n,
        collected0Raw: 1000000000000000000001n,
        collected1Raw: 2680000001n,
        fees0Raw: 1n,
        fees1Raw: 2n,
        skipped: false,
        txHash: `0x${'a'.repeat(64)}`,
        gasCostWei: 150000000000000n,
      },
    ],
    swap: null,
    minted: [
      {
        role: 'base',
        tokenId: 8n,
        tickLower: -600,
        tickUpper: 600,
        liquidity: 98765432109876543210n,
        amount0Raw: 999999999999999999n,
        amount1Raw: 2679999999n,
        txHash: `0x${'b'.repeat(64)}`,
        gasCostWei: 450000000000000n,
      },
    ],
    gasCheck: null,
    gasPaidWei: 600000000000000n,
  }
}

const inventoryUpdate = (seq: number): InventoryUpdate => ({
  type: 'lp.inventory',
  version: 1,
  source: 'uniswap-v3:31337:0xpool',
  seq,
  tsMs: 1_000 * seq,
  token0: { decimals: 18, amountRaw: '1000000000000000000', amount: '1' },
  token1: { decimals: 6, amountRaw: '2680000000', amount: '2680' },
  baseToken: 'token0',
  sqrtPriceX96: '1',
  valueUsd: '5360',
  usdPrice0: '2680',
  usdPrice1: '1',
  baseShare: 0.5,
  targetBaseShare: 0.5,
  deviation: 0,
  excessBase: '0',
})

describe('lp.action and lp.pnl split over ZeroMQ', () => {
  it('a trader-side subscriber that joins after a rebalance gets it by snapshot, journals it once, then live ones; the state keeps the newest actions', async () => {
    const endpoints = await freeLoopbackEndpoints()
    const lpBus = createZmqBus({ endpoints })
    const traderBus = createZmqBus({ endpoints })
    const manager = new EventEmitter()
    const role = await startLpManagerRole({
      bus: lpBus,
      manager: manager as unknown as Parameters<typeof startLpManagerRole>[0]['manager'],
      endpoints,
      onError: (error) => errors.push(error),
    })
    const journal = new Journal(':memory:')
    try {
      manager.emit('inventory', inventoryUpdate(1))
      manager.emit('executed', execution('plan-1', 5_000))
      const sub = await traderBus.subscriber('inventory', { endpoints })
      const runId = journal.startRun({ processName: 'trader', startedMs: 1 })
      let nowMs = 10_000
      const pnl = createPnlSnapshotter({
        journal,
        runId,
        intervalMs: 60_000,
        nowMs: () => nowMs,
        // A hedger with no venue and no LP deviation: the snapshot's hedge part is 0.
        state: () =>
          ({
            venues: [],
            venueByName: new Map(),
            poolPrice: null,
            lpDeviationBase: 0,
            config: { hedge: { targetNetBase: 0 } },
          }) as never,
      })
      const handle = (message: InventoryMessage): void => {
        if (message.type === 'lp.action' || message.type === 'lp.pnl')
          journalLpMessage({ journal, runId, pnl }, message)
      }
      sub.on('message', handle)
      sub.on('snapshot', (state) => {
        for (const message of state.values()) handle(message)
      })
      await sub.until((s) => s.phase === 'live', 10_000)
      // The synced state (the first snapshot may be applied before a listener is attached): what the trader holds.
      for (const message of sub.state.values()) handle(message)
      await waitFor(() => journal.lpActions({ action: 'rebalance' }).length === 1, 'the snapshot’s rebalance journaled')
      const mint = journal.lpActions({ action: 'mint' })[0]!
      // Bigints crossed the wire exactly.
      expect([mint.tokenId, mint.amount0Raw, mint.amount1Raw, mint.gasCostWei, mint.txHash]).toEqual([
        '8',
        '999999999999999999',
        '2679999999',
        '450000000000000',
        `0x${'b'.repeat(64)}`,
      ])
      expect((mint.detail as { liquidity: string }).liquidity).toBe('98765432109876543210')
      const burn = journal.lpActions({ action: 'burn' })[0]!
      expect([burn.tokenId, burn.tickLower, burn.tickUpper, burn.gasCostWei]).toEqual([
        '7',
        -1200,
        0,
        '150000000000000',
      ])
      const collect = journal.lpActions({ action: 'collect' })[0]!
      expect([collect.amount0Raw, collect.amount1Raw, collect.fees0Raw]).toEqual([
        '1000000000000000000001',
        '2680000001',
        '1',
      ])
      expect(journal.history().gasCostWei).toBe('600000000000000')
      // The first lp.pnl gave the start snapshot: 1 WETH + 2680 USDC at 2680.
      expect(journal.pnlSnapshots().map((s) => s.valueUsd)).toEqual(['5360.000000'])

      // Live: a second rebalance; the first, handed again (a later snapshot), is not journaled twice.
      manager.emit('executed', execution('plan-2', 6_000))
      await waitFor(() => journal.lpActions({ action: 'rebalance' }).length === 2, 'the live rebalance journaled')
      for (const message of sub.state.values()) handle(message)
      expect(journal.history().rebalances).toBe(2)
      expect(journal.lpActions({ action: 'mint' })).toHaveLength(2)
      nowMs += 60_000
      pnl.tick()
      expect(journal.pnlSnapshots()).toHaveLength(2)
      await sub.close()
    } finally {
      journal.close()
      await role.stop()
      await lpBus.close()
      await traderBus.close()
    }
  }, 30_000)

  it('the inventory state keeps the newest lp.action messages, the last lp.pnl and the last update per source', () => {
    const state: TopicState<InventoryMessage> = new Map()
    const codec = TOPICS.inventory.codec
    for (let i = 0; i < RECENT_LP_ACTIONS + 6; i++) {
      const message = codec.decode(
        codec.encode({
          type: 'lp.action',
          id: `p${i}`,
          source: 's',
          tsMs: i,
          reason: 'x',
          decidedAtBlock: i,
          closed: [],
          swap: null,
          minted: [],
          gasPaidWei: null,
          expectedGainUsd: 0,
          gasCostUsd: 0,
        }),
      )
      TOPICS.inventory.reduce(state, message)
    }
    TOPICS.inventory.reduce(state, codec.decode(codec.encode(inventoryUpdate(3))))
    const actions = [...state.keys()].filter((key) => key.startsWith('lp.action/'))
    expect(actions).toHaveLength(RECENT_LP_ACTIONS)
    expect(actions[0]).toBe('lp.action/p6')
    expect(actions.at(-1)).toBe(`lp.action/p${RECENT_LP_ACTIONS + 5}`)
    expect((state.get('lp.inventory/uniswap-v3:31337:0xpool') as InventoryUpdate).seq).toBe(3)
  })
})
