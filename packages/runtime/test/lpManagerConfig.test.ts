import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getTickAtSqrtRatio, type InventoryUpdate } from '@alp/uniswap-lp'
import {
  addLiquidity,
  createPool,
  deployTestToken,
  fundAccount,
  increaseTime,
  type LocalChain,
  sendLocalTransaction,
  startLocalChain,
  swapExactInputSingle,
} from '@alp/venue-sim/chain'
import { Interface } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkConfigFiles, loadConfigFiles } from '../src/config/loadConfig.js'
import { createDeployment, type Deployment } from '../src/deployment/createDeployment.js'
import { createLpManagerFromConfig } from '../src/deployment/createLpManagerFromConfig.js'
import { ConfigInvalidError } from '../src/errors/config.js'
import type { TopicSubscriber } from '../src/transport/bus.js'
import type { InventoryMessage } from '../src/transport/topics.js'

// The lp-manager role built from its [LP] section alone (createDeployment's default lpManager) on anvil with the real
// Uniswap v3 contracts: the live LP manager of @alp/uniswap-lp discovers the position a wallet already holds, mints
// one for a wallet that holds none (the persisted plan under DATA_DIR, every guard), and the role publishes the
// holdings on the bus. Expected holdings are read from the v3 contracts themselves (balanceOf, positions, a static
// decreaseLiquidity), not from the manager's math.

const npm = new Interface([
  'function balanceOf(address) view returns (uint256)',
  'function tokenOfOwnerByIndex(address, uint256) view returns (uint256)',
  'function positions(uint256) view returns (uint96, address, address, address, uint24, int24, int24, uint128, uint256, uint256, uint128, uint128)',
  'function decreaseLiquidity((uint256 tokenId, uint128 liquidity, uint256 amount0Min, uint256 amount1Min, uint256 deadline)) returns (uint256 amount0, uint256 amount1)',
])
const erc20 = new Interface(['function balanceOf(address) view returns (uint256)'])
const poolAbi = new Interface([
  'function slot0() view returns (uint160, int24, uint16, uint16, uint16, uint8, bool)',
  'function increaseObservationCardinalityNext(uint16)',
])

const dir = mkdtempSync(join(tmpdir(), 'alp-lp-config-'))
let chain: LocalChain
let usdc: string
let weth: string
let poolAddress: string
let token0: string
let token1: string
let wallets: { discover: string; mint: string; idle: string; trader: string }
let env: NodeJS.ProcessEnv
const deployments: Deployment[] = []

const call = async (to: string, iface: Interface, fn: string, args: unknown[], from?: string) =>
  iface.decodeFunctionResult(
    fn,
    await chain.provider.call({ to, data: iface.encodeFunctionData(fn, args), ...(from ? { from } : {}) }),
  )

/** What the owner holds in the pool's two tokens as the v3 contracts say: wallet + each NFT's principal (a static burn). */
async function holdingsOnChain(owner: string): Promise<{ amount0: bigint; amount1: bigint; nfts: bigint[] }> {
  const pm = chain.uniswap.positionManager
  let amount0 = (await call(token0, erc20, 'balanceOf', [owner]))[0] as bigint
  let amount1 = (await call(token1, erc20, 'balanceOf', [owner]))[0] as bigint
  const count = Number((await call(pm, npm, 'balanceOf', [owner]))[0])
  const nfts: bigint[] = []
  for (let i = 0; i < count; i++) {
    const tokenId = (await call(pm, npm, 'tokenOfOwnerByIndex', [owner, i]))[0] as bigint
    nfts.push(tokenId)
    const liquidity = (await call(pm, npm, 'positions', [tokenId]))[7] as bigint
    if (liquidity === 0n) continue
    const out = await call(
      pm,
      npm,
      'decreaseLiquidity',
      [{ tokenId, liquidity, amount0Min: 0n, amount1Min: 0n, deadline: 2n ** 40n }],
      owner,
    )
    amount0 += out[0] as bigint
    amount1 += out[1] as bigint
  }
  return { amount0, amount1, nfts }
}

function writeLpIni(name: string, lp: Record<string, string | number>): string {
  const file = join(dir, `${name}.ini`)
  const keys = {
    RPC_URL: chain.rpcUrl,
    CHAIN_ID: 31337,
    POOL_ADDRESS: poolAddress,
    POSITION_MANAGER_ADDRESS: chain.uniswap.positionManager,
    BASE_TOKEN: weth,
    SWAP_ROUTER_ADDRESS: chain.uniswap.swapRouter,
    QUOTER_V2_ADDRESS: chain.uniswap.quoterV2,
    CONFIRMATIONS: 0,
    STEP_INTERVAL_MS: 100,
    RECEIPT_POLL_INTERVAL_MS: 20,
    RECEIPT_TIMEOUT_MS: 30_000,
    REPLACE_AFTER_MS: 20_000,
    ...lp,
  }
  writeFileSync(
    file,
    `[lp-manager]\nPROCESS_NAME = lp_${name}\nMETRICS_PORT = 0\nDATA_DIR = data-${name}\n\n[lp-manager.LP]\n${Object.entries(
      keys,
    )
      .map(([key, value]) => `${key} = ${value}`)
      .join('\n')}\n`,
  )
  return file
}

const sourceKey = () => `lp.inventory/uniswap-v3:31337:${poolAddress.toLowerCase()}`
const lastUpdate = (sub: TopicSubscriber<InventoryMessage>) => sub.state.get(sourceKey()) as InventoryUpdate | undefined

beforeAll(async () => {
  chain = await startLocalChain()
  usdc = await deployTestToken(chain, { name: 'USD Coin', symbol: 'USDC', decimals: 6 })
  weth = await deployTestToken(chain, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 })
  const created = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2000' })
  poolAddress = created.pool
  token0 = created.token0
  token1 = created.token1
  await sendLocalTransaction(
    chain.provider,
    {
      from: chain.accounts[0] as string,
      to: poolAddress,
      data: poolAbi.encodeFunctionData('increaseObservationCardinalityNext', [64]),
    },
    'oracle cardinality',
  )
  const [, background, discover, trader, mint, idle] = chain.accounts as string[]
  wallets = { discover: discover as string, mint: mint as string, idle: idle as string, trader: trader as string }
  const raw = (token: string, usdcWhole: bigint, wethWhole: bigint) =>
    token === usdc ? usdcWhole * 10n ** 6n : wethWhole * 10n ** 18n
  for (const [account, usdcWhole, wethWhole] of [
    [background, 4_000_000n, 2_000n],
    [discover, 20_000n, 10n],
    [trader, 1_000_000n, 500n],
    [mint, 20_000n, 10n],
    [idle, 2_000n, 1n],
  ] as const) {
    await fundAccount(chain, { token: usdc, account: account as string, amountRaw: raw(usdc, usdcWhole, wethWhole) })
    await fundAccount(chain, { token: weth, account: account as string, amountRaw: raw(weth, usdcWhole, wethWhole) })
  }
  await addLiquidity(chain, {
    pool: created,
    from: background as string,
    amount0DesiredRaw: raw(token0, 4_000_000n, 2_000n),
    amount1DesiredRaw: raw(token1, 4_000_000n, 2_000n),
  })
  // The wallet to be discovered holds one range (±600 ticks around the price) of its own.
  const centre = Math.floor(getTickAtSqrtRatio(created.sqrtPriceX96) / created.tickSpacing) * created.tickSpacing
  await addLiquidity(chain, {
    pool: created,
    from: discover as string,
    amount0DesiredRaw: raw(token0, 20_000n, 10n),
    amount1DesiredRaw: raw(token1, 20_000n, 10n),
    tickLower: centre - 600,
    tickUpper: centre + 600,
  })
  await increaseTime(chain, 1_200) // a full TWAP window at the initial price (the write side's guard checks it)
  env = {
    LP_DISCOVER: chain.testPrivateKeys[2],
    LP_MINT: chain.testPrivateKeys[4],
    LP_IDLE: chain.testPrivateKeys[5],
  }
}, 120_000)

afterAll(async () => {
  for (const deployment of deployments) await deployment.stop().catch(() => undefined)
  await chain?.stop()
})

describe('lp-manager from the [LP] section', () => {
  it('discovers the position the wallet holds and publishes its holdings on the bus, then follows a swap', async () => {
    const file = writeLpIni('discover', { WALLET_KEY: 'env:LP_DISCOVER' })
    const deployment = createDeployment(loadConfigFiles([file], { env }))
    deployments.push(deployment)
    await deployment.start()
    expect(deployment.roles.map((role) => role.role)).toEqual(['lp-manager'])
    const inventory = await deployment.bus.subscriber('inventory')
    await inventory.until((sub) => lastUpdate(sub) !== undefined, 20_000)
    const first = lastUpdate(inventory) as InventoryUpdate
    const chainHoldings = await holdingsOnChain(wallets.discover)
    expect(chainHoldings.nfts).toHaveLength(1) // discovered, not re-minted
    expect(first.baseToken).toBe(token0 === weth ? 'token0' : 'token1')
    expect(first.token0.amountRaw).toBe(String(chainHoldings.amount0))
    expect(first.token1.amountRaw).toBe(String(chainHoldings.amount1))
    expect(first.targetBaseShare).toBe(0.5)

    // A trader sells 30 WETH into the pool: the LP's range takes WETH, the manager publishes the new holdings.
    const wethBefore = BigInt((first.baseToken === 'token0' ? first.token0 : first.token1).amountRaw)
    await swapExactInputSingle(chain, {
      from: wallets.trader,
      tokenIn: weth,
      tokenOut: usdc,
      feePips: 500,
      amountInRaw: 30n * 10n ** 18n,
    })
    const slot0 = await call(poolAddress, poolAbi, 'slot0', [])
    await inventory.until((sub) => lastUpdate(sub)?.sqrtPriceX96 === String(slot0[0]), 20_000)
    const after = lastUpdate(inventory) as InventoryUpdate
    expect(after.seq).toBeGreaterThan(first.seq)
    expect(BigInt((after.baseToken === 'token0' ? after.token0 : after.token1).amountRaw)).toBeGreaterThan(wethBefore)
    await inventory.close()
    await deployment.stop()
  }, 60_000)

  it('mints its ranges for a wallet with no position (persisted plan under DATA_DIR) and publishes them', async () => {
    const file = writeLpIni('mint', { WALLET_KEY: 'env:LP_MINT', TARGET_BASE_SHARE: 0.5 })
    await increaseTime(chain, 1_200) // the first test's swap moved the price: the TWAP guard wants it settled
    const before = await holdingsOnChain(wallets.mint)
    expect(before.nfts).toHaveLength(0)
    const deployment = createDeployment(loadConfigFiles([file], { env }))
    deployments.push(deployment)
    await deployment.start() // the manager's start: NO_POSITION → the plan mints
    const minted = await holdingsOnChain(wallets.mint)
    expect(minted.nfts.length).toBeGreaterThanOrEqual(1)
    const inventory = await deployment.bus.subscriber('inventory')
    // The step after the mint's blocks publishes the holdings with the new ranges: wallet + principal as the chain says.
    await inventory.until(
      (sub) => lastUpdate(sub)?.token0.amountRaw === String(minted.amount0) && lastUpdate(sub)?.seq !== 1,
      20_000,
    )
    const update = lastUpdate(inventory) as InventoryUpdate
    expect(update.token1.amountRaw).toBe(String(minted.amount1))
    // Nothing was lost on the way: what the wallet funded sits in the wallet and the ranges (the mints round down).
    const funded0 = token0 === usdc ? 20_000n * 10n ** 6n : 10n * 10n ** 18n
    expect(minted.amount0).toBeLessThanOrEqual(funded0)
    expect(funded0 - minted.amount0).toBeLessThan(10n)
    expect(existsSync(join(dir, 'data-mint', 'lp-manager-checkpoint.json'))).toBe(true)
    expect(existsSync(join(dir, 'data-mint', 'rebalance-plan.json'))).toBe(false) // done: the store is cleared
    await inventory.close()
    await deployment.stop()
  }, 90_000)

  it('start: false leaves the start to the caller (paper mode): a listener added before it gets the first update', async () => {
    const file = writeLpIni('deferred', { WALLET_KEY: 'env:LP_DISCOVER', OBSERVE_ONLY: 'true' })
    const role = loadConfigFiles([file], { env }).roles[0]
    if (role === undefined) throw new Error('no role')
    const built = await createLpManagerFromConfig(role, { start: false })
    expect(built.owner.toLowerCase()).toBe(wallets.discover.toLowerCase())
    const updates: InventoryUpdate[] = []
    built.on('inventory', (update) => updates.push(update))
    expect(updates).toEqual([])
    await built.manager.start()
    expect(updates.map((update) => update.seq)).toEqual([1])
    expect(updates[0]?.token0.amountRaw).toBe(String((await holdingsOnChain(wallets.discover)).amount0))
  }, 30_000)

  it('refuses a CHAIN_ID the RPC does not report, naming file, section and key, before sending anything', async () => {
    const file = writeLpIni('wrongchain', { WALLET_KEY: 'env:LP_IDLE', CHAIN_ID: 1 })
    const deployment = createDeployment(loadConfigFiles([file], { env }))
    const nonce = await chain.provider.getTransactionCount(wallets.idle)
    const error = await deployment.start().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigInvalidError)
    const issue = (error as ConfigInvalidError).issues[0]
    expect(issue).toMatchObject({ file, section: 'lp-manager.LP', key: 'CHAIN_ID', line: 8 })
    expect(issue?.message).toContain('the RPC reports chain 31337')
    expect((error as Error).message).toContain(`${file}:8 [lp-manager.LP] CHAIN_ID:`)
    expect(await chain.provider.getTransactionCount(wallets.idle)).toBe(nonce)
    expect(deployment.roles).toHaveLength(0)
  }, 30_000)

  it('reports a WALLET_KEY whose environment variable is not set, and a missing BASE_TOKEN, by file, section and key', async () => {
    const file = writeLpIni('noenv', { WALLET_KEY: 'env:LP_NOT_SET' })
    const checked = checkConfigFiles([file], { env })
    expect(checked.config).toBeNull()
    expect(checked.issues).toEqual([
      {
        file,
        section: 'lp-manager.LP',
        key: 'WALLET_KEY',
        line: expect.any(Number),
        message: 'environment variable LP_NOT_SET is not set',
      },
    ])
    expect(() => loadConfigFiles([file], { env })).toThrow(
      /\[lp-manager\.LP\] WALLET_KEY: environment variable LP_NOT_SET/,
    )

    const noBase = writeLpIni('nobase', { WALLET_KEY: 'env:LP_IDLE' })
    writeFileSync(noBase, readFileSync(noBase, 'utf8').replace(/^BASE_TOKEN = .*\n/m, ''))
    const deployment = createDeployment(loadConfigFiles([noBase], { env }))
    const error = await deployment.start().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigInvalidError)
    expect((error as ConfigInvalidError).issues).toEqual([
      expect.objectContaining({ file: noBase, section: 'lp-manager.LP', key: 'BASE_TOKEN' }),
    ])
  }, 30_000)
})
