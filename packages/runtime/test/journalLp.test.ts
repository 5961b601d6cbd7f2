import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningBinanceEmulator } from '@alp/venue-sim/binance'
import { fundAccount, increaseTime, sendLocalTransaction } from '@alp/venue-sim/chain'
import { Interface, id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli/main.js'
import { loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import { Journal } from '../src/journal/Journal.js'
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
