import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LpRebalanceRequest, RebalanceDecision } from '@alp/uniswap-lp'
import {
  addLiquidity,
  createPool,
  deployTestToken,
  fundAccount,
  increaseTime,
  type LocalChain,
  sendLocalTransaction,
  startLocalChain,
} from '@alp/venue-sim/chain'
import { Interface } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkConfigFiles, loadConfigFiles } from '../src/config/loadConfig.js'
import { createLpManagerFromConfig } from '../src/deployment/createLpManagerFromConfig.js'

// The gas units the live LP manager's gas-vs-gain check prices come from the [LP] section (GAS_UNITS_MINT / _BURN /
// _COLLECT), so paper mode can give it the backtester's gasUsed table. Oracle, by hand: a wallet with no position
// rebalances (NO_POSITION) with two mints and nothing to burn, so the check prices 2 × GAS_UNITS_MINT gas at the gas
// price given (1 gwei here), valued in USD at the pool price (2 000 USDC per WETH):
//   GAS_UNITS_MINT = 430 000 → 2 × 430 000 × 1e-9 ETH × 2 000 = 1.72 USD; not written: 2 × 500 000 → 2.00 USD.
// The chain runs with base fee 0 (anvil --base-fee 0, as paper mode can): a transaction pays its priority fee per gas,
// so with createLpManagerFromConfig's priorityFeePerGasWei the gas paid is priced at exactly that (the gas model's).

let chain: LocalChain
let dir: string
let weth: string
let poolAddress: string
const env: Record<string, string> = {}
let tipOwner: string

function writeIni(name: string, extra: Record<string, string | number>): string {
  const file = join(dir, `${name}.ini`)
  const keys: Record<string, string | number> = {
    RPC_URL: chain.rpcUrl,
    CHAIN_ID: 31337,
    POOL_ADDRESS: poolAddress,
    POSITION_MANAGER_ADDRESS: chain.uniswap.positionManager,
    BASE_TOKEN: weth,
    WALLET_KEY: 'env:LP_GAS_WALLET',
    CONFIRMATIONS: 0,
    MIN_GAIN_TO_GAS_RATIO: 1,
    ...extra,
  }
  const lines = Object.entries(keys).map(([key, value]) => `${key} = ${value}`)
  writeFileSync(
    file,
    `[lp-manager]\nPROCESS_NAME = lp_${name}\nMETRICS_PORT = 0\nDATA_DIR = data-${name}\n\n[lp-manager.LP]\n${lines.join('\n')}\n`,
  )
  return file
}

/** The gas cost (USD) the manager's first decision priced, from its 'decision' event (before any transaction). */
async function firstDecisionGasUsd(file: string): Promise<{ gasCostUsd: number; units: unknown }> {
  const role = loadConfigFiles([file], { env }).roles[0]
  if (role === undefined) throw new Error('no role')
  const built = await createLpManagerFromConfig(role, { start: false, gasPriceWei: async () => 1_000_000_000n })
  const seen: { decision: RebalanceDecision; request: LpRebalanceRequest | null }[] = []
  built.manager.on('decision', (decision, request) => seen.push({ decision, request }))
  // The executor then tries the mints (the wallet approved nothing): only the decision matters here.
  await built.manager.start().catch(() => undefined)
  built.manager.stop()
  const first = seen[0]
  expect(first?.decision.reason).toBe('NO_POSITION')
  return { gasCostUsd: first?.request?.gasCostUsd ?? Number.NaN, units: (built as { gasUsed?: unknown }).gasUsed }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alp-lp-gas-'))
  chain = await startLocalChain({ extraArgs: ['--base-fee', '0'] })
  const usdc = await deployTestToken(chain, { name: 'USD Coin', symbol: 'USDC', decimals: 6 })
  weth = await deployTestToken(chain, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 })
  const pool = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2000' })
  poolAddress = pool.pool
  const [, background, wallet, tipWallet] = chain.accounts as string[]
  const raw = (token: string, usdcWhole: bigint, wethWhole: bigint) =>
    token === usdc ? usdcWhole * 10n ** 6n : wethWhole * 10n ** 18n
  for (const [account, u, w] of [
    [background, 4_000_000n, 2_000n],
    [wallet, 20_000n, 10n],
    [tipWallet, 20_000n, 10n],
  ] as const) {
    await fundAccount(chain, { token: usdc, account: account as string, amountRaw: raw(usdc, u, w) })
    await fundAccount(chain, { token: weth, account: account as string, amountRaw: raw(weth, u, w) })
  }
  await addLiquidity(chain, {
    pool,
    from: background as string,
    amount0DesiredRaw: raw(pool.token0, 4_000_000n, 2_000n),
    amount1DesiredRaw: raw(pool.token1, 4_000_000n, 2_000n),
  })
  env.LP_GAS_WALLET = chain.testPrivateKeys[2] as string
  env.LP_TIP_WALLET = chain.testPrivateKeys[3] as string
  tipOwner = tipWallet as string
  await sendLocalTransaction(
    chain.provider,
    {
      from: chain.accounts[0] as string,
      to: poolAddress,
      data: new Interface(['function increaseObservationCardinalityNext(uint16)']).encodeFunctionData(
        'increaseObservationCardinalityNext',
        [64],
      ),
    },
    'oracle cardinality',
  )
}, 120_000)

afterAll(async () => {
  await chain?.stop()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

describe('[LP] GAS_UNITS_*: the gas units of the live manager’s gas-vs-gain check', () => {
  it('prices a rebalance with the configured units (the backtester’s table), not the manager’s defaults', async () => {
    const file = writeIni('table', { GAS_UNITS_MINT: 430_000, GAS_UNITS_BURN: 290_000, GAS_UNITS_COLLECT: 120_000 })
    expect(checkConfigFiles([file], { env }).issues).toEqual([])
    const { gasCostUsd, units } = await firstDecisionGasUsd(file)
    expect(gasCostUsd).toBeCloseTo(1.72, 3)
    expect(units).toEqual({ mint: 430_000, burn: 290_000, collect: 120_000 })
  }, 60_000)

  it('keeps @alp/uniswap-lp’s defaults (mint 500 000, burn 200 000, collect 150 000) when the keys are not written', async () => {
    const { gasCostUsd, units } = await firstDecisionGasUsd(writeIni('defaults', {}))
    expect(gasCostUsd).toBeCloseTo(2.0, 3)
    expect(units).toEqual({ mint: 500_000, burn: 200_000, collect: 150_000 })
  }, 60_000)

  it('refuses a gas unit that is not a positive integer, naming the key', () => {
    const issues = checkConfigFiles([writeIni('bad', { GAS_UNITS_MINT: '4.3e5' })], { env }).issues
    expect(issues.map((i) => [i.section, i.key])).toEqual([['lp-manager.LP', 'GAS_UNITS_MINT']])
  })
})

describe('createLpManagerFromConfig priorityFeePerGasWei: the gas price the write side pays', () => {
  it('on a chain with base fee 0, every transaction of a rebalance pays exactly the given price per gas', async () => {
    await increaseTime(chain, 1_200) // a TWAP window at the pool price (the write side's guard)
    const file = writeIni('tip', {
      WALLET_KEY: 'env:LP_TIP_WALLET',
      TWAP_WINDOW_SEC: 60,
      TWAP_MAX_DEVIATION_TICKS: 1000,
      RECEIPT_POLL_INTERVAL_MS: 20,
    })
    const role = loadConfigFiles([file], { env }).roles[0]
    if (role === undefined) throw new Error('no role')
    const model = 20_000_000_000n
    const from = await chain.provider.getBlockNumber()
    const built = await createLpManagerFromConfig(role, {
      start: false,
      gasPriceWei: async () => model,
      priorityFeePerGasWei: async () => model,
    })
    await built.manager.start() // NO_POSITION: approvals and mints
    await built.manager.step() // holdings that include the mints' blocks
    built.manager.stop()
    const to = await chain.provider.getBlockNumber()
    const paid: bigint[] = []
    for (let n = from + 1; n <= to; n++) {
      const block = await chain.provider.getBlock(n, true)
      for (const tx of block?.prefetchedTransactions ?? []) {
        if (tx.from.toLowerCase() !== tipOwner.toLowerCase()) continue
        const receipt = await chain.provider.getTransactionReceipt(tx.hash)
        expect(block?.baseFeePerGas).toBe(0n)
        paid.push(receipt?.gasPrice ?? 0n)
      }
    }
    expect(built.manager.snapshot().ranges.length).toBeGreaterThanOrEqual(1) // it minted
    expect(paid.length).toBeGreaterThanOrEqual(1)
    expect(paid.every((p) => p === model)).toBe(true)
  }, 90_000)
})
