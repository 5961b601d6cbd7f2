import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LpRebalanceRequest, RebalanceDecision } from '@alp/uniswap-lp'
import {
  addLiquidity,
  createPool,
  deployTestToken,
  fundAccount,
  type LocalChain,
  startLocalChain,
} from '@alp/venue-sim/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkConfigFiles, loadConfigFiles } from '../src/config/loadConfig.js'
import { createLpManagerFromConfig } from '../src/deployment/createLpManagerFromConfig.js'

// The gas units the live LP manager's gas-vs-gain check prices come from the [LP] section (GAS_UNITS_MINT / _BURN /
// _COLLECT), so paper mode can give it the backtester's gasUsed table. Oracle, by hand: a wallet with no position
// rebalances (NO_POSITION) with two mints and nothing to burn, so the check prices 2 × GAS_UNITS_MINT gas at the gas
// price given (1 gwei here), valued in USD at the pool price (2 000 USDC per WETH):
//   GAS_UNITS_MINT = 430 000 → 2 × 430 000 × 1e-9 ETH × 2 000 = 1.72 USD; not written: 2 × 500 000 → 2.00 USD.

let chain: LocalChain
let dir: string
let weth: string
let poolAddress: string
const env: Record<string, string> = {}

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
  chain = await startLocalChain()
  const usdc = await deployTestToken(chain, { name: 'USD Coin', symbol: 'USDC', decimals: 6 })
  weth = await deployTestToken(chain, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 })
  const pool = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2000' })
  poolAddress = pool.pool
  const [, background, wallet] = chain.accounts as string[]
  const raw = (token: string, usdcWhole: bigint, wethWhole: bigint) =>
    token === usdc ? usdcWhole * 10n ** 6n : wethWhole * 10n ** 18n
  for (const [account, u, w] of [
    [background, 4_000_000n, 2_000n],
    [wallet, 20_000n, 10n],
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
