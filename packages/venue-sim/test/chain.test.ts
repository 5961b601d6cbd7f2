import { existsSync } from 'node:fs'
import { Interface } from 'ethers'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  AnvilStartError,
  addLiquidity,
  ChainTransactionRevertedError,
  createPool,
  deployTestToken,
  fundAccount,
  InvalidPoolParametersError,
  increaseTime,
  type LocalChain,
  loadUniswapArtifact,
  resolveAnvilPath,
  revertToSnapshot,
  startAnvil,
  startLocalChain,
  swapExactInputSingle,
  takeSnapshot,
} from '../src/chain/index.js'

const poolInterface = new Interface(loadUniswapArtifact('UniswapV3Pool').abi)
const erc20Interface = new Interface([
  'function decimals() view returns (uint8)',
  'function balanceOf(address) view returns (uint256)',
])

async function call(chain: LocalChain, to: string, iface: Interface, fn: string, args: unknown[] = []) {
  const data = await chain.provider.call({ to, data: iface.encodeFunctionData(fn, args) })
  return iface.decodeFunctionResult(fn, data)
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw error
  }
}

async function waitFor(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs
  while (Date.now() < end) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return condition()
}

describe('local chain with the real Uniswap v3 contracts', () => {
  let chain: LocalChain
  let usdc: string
  let weth: string
  let baseline: string

  beforeAll(async () => {
    chain = await startLocalChain()
    usdc = await deployTestToken(chain, { name: 'USD Coin', symbol: 'USDC', decimals: 6 })
    weth = await deployTestToken(chain, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 })
    baseline = await takeSnapshot(chain)
  })
  afterAll(async () => {
    await chain?.stop()
  })
  beforeEach(async () => {
    await revertToSnapshot(chain, baseline)
    baseline = await takeSnapshot(chain)
  })

  it('answers on loopback with the requested chain id and deployed every contract', async () => {
    expect(chain.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(chain.chainId).toBe(31337)
    expect(Number((await chain.provider.getNetwork()).chainId)).toBe(31337)
    for (const address of Object.values(chain.uniswap)) {
      expect((await chain.provider.getCode(address)).length).toBeGreaterThan(2)
    }
    expect(chain.accounts).toHaveLength(10)
    // anvil's first development account, documented by Foundry.
    expect(chain.accounts[0]?.toLowerCase()).toBe('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266')
    expect(chain.testPrivateKeys[0]).toBe('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
  })

  it('deploys test tokens with 6 and 18 decimals', async () => {
    expect(Number((await call(chain, usdc, erc20Interface, 'decimals'))[0])).toBe(6)
    expect(Number((await call(chain, weth, erc20Interface, 'decimals'))[0])).toBe(18)
  })

  it('creates a pool at a human price: sqrtPriceX96 is the floor square root and the tick matches log base 1.0001', async () => {
    const created = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2000' })
    expect(created.tickSpacing).toBe(10)
    const usdcIsToken0 = BigInt(usdc) < BigInt(weth)
    expect(created.token0).toBe(usdcIsToken0 ? usdc : weth)
    // Raw price token1/token0 in base units: USDC token0 -> 1e18 / (2000 * 1e6) = 5e8; WETH token0 -> 2000e6 / 1e18 = 2e-9.
    const [rawNumerator, rawDenominator] = usdcIsToken0 ? [500_000_000n, 1n] : [2n, 1_000_000_000n]
    const target = (rawNumerator << 192n) / rawDenominator
    const s = created.sqrtPriceX96
    expect(s * s <= target && (s + 1n) * (s + 1n) > target).toBe(true)
    const slot0 = await call(chain, created.pool, poolInterface, 'slot0')
    expect(BigInt(slot0.sqrtPriceX96)).toBe(s)
    const rawPrice = usdcIsToken0 ? 5e8 : 2e-9
    expect(Number(slot0.tick)).toBe(Math.floor(Math.log(rawPrice) / Math.log(1.0001)))
  })

  it('creates a pool from an explicit sqrtPriceX96 (2^96 is price 1, tick 0) and rejects a disabled fee tier', async () => {
    const created = await createPool(chain, { tokenA: usdc, tokenB: weth, feePips: 3000, sqrtPriceX96: 2n ** 96n })
    expect(Number((await call(chain, created.pool, poolInterface, 'slot0')).tick)).toBe(0)
    await expect(
      createPool(chain, { tokenA: usdc, tokenB: weth, feePips: 2500, sqrtPriceX96: 2n ** 96n }),
    ).rejects.toThrow(InvalidPoolParametersError)
  })

  it('funds an account, swaps through SwapRouter, and a snapshot revert restores the price and balances', async () => {
    const trader = chain.accounts[3]!
    const created = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2000' })
    // Liquidity: mint a full-range position through the position manager from accounts[1].
    const lp = chain.accounts[1]!
    await fundAccount(chain, { token: usdc, account: lp, amountRaw: 10_000_000n * 10n ** 6n })
    await fundAccount(chain, { token: weth, account: lp, amountRaw: 5_000n * 10n ** 18n })
    const seeded = await addLiquidity(chain, {
      pool: created,
      from: lp,
      amount0DesiredRaw: created.token0 === usdc ? 2_000_000n * 10n ** 6n : 1_000n * 10n ** 18n,
      amount1DesiredRaw: created.token1 === usdc ? 2_000_000n * 10n ** 6n : 1_000n * 10n ** 18n,
    })
    expect(seeded.liquidity > 0n).toBe(true)
    await fundAccount(chain, { token: weth, account: trader, amountRaw: 10n * 10n ** 18n })
    const snap = await takeSnapshot(chain)
    const before = await call(chain, created.pool, poolInterface, 'slot0')
    const swap = await swapExactInputSingle(chain, {
      from: trader,
      tokenIn: weth,
      tokenOut: usdc,
      feePips: 500,
      amountInRaw: 10n ** 18n,
    })
    // The pool received exactly 1 WETH and paid out USDC.
    const [wethDelta, usdcDelta] =
      created.token0 === weth ? [swap.amount0Raw, swap.amount1Raw] : [swap.amount1Raw, swap.amount0Raw]
    expect(wethDelta).toBe(10n ** 18n)
    expect(usdcDelta < 0n).toBe(true)
    const usdcBalance = BigInt((await call(chain, usdc, erc20Interface, 'balanceOf', [trader]))[0])
    expect(usdcBalance).toBe(-usdcDelta)
    const after = await call(chain, created.pool, poolInterface, 'slot0')
    expect(BigInt(after.sqrtPriceX96)).toBe(swap.sqrtPriceX96)
    expect(BigInt(after.sqrtPriceX96)).not.toBe(BigInt(before.sqrtPriceX96))
    await revertToSnapshot(chain, snap)
    const restored = await call(chain, created.pool, poolInterface, 'slot0')
    expect(BigInt(restored.sqrtPriceX96)).toBe(BigInt(before.sqrtPriceX96))
    expect(BigInt((await call(chain, usdc, erc20Interface, 'balanceOf', [trader]))[0])).toBe(0n)
  })

  it('reports a reverted harness transaction with the decoded reason', async () => {
    const created = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2000' })
    const lp = chain.accounts[1]!
    await fundAccount(chain, { token: usdc, account: lp, amountRaw: 2_000_000n * 10n ** 6n })
    await fundAccount(chain, { token: weth, account: lp, amountRaw: 1_000n * 10n ** 18n })
    await addLiquidity(chain, { pool: created, from: lp, amount0DesiredRaw: 10n ** 12n, amount1DesiredRaw: 10n ** 12n })
    // accounts[5] holds no WETH: the router's transferFrom fails inside the pool callback.
    const error = await swapExactInputSingle(chain, {
      from: chain.accounts[5]!,
      tokenIn: weth,
      tokenOut: usdc,
      feePips: created.feePips,
      amountInRaw: 1n,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainTransactionRevertedError)
    expect((error as ChainTransactionRevertedError).code).toBe('CHAIN_TRANSACTION_REVERTED')
    // v3-periphery TransferHelper.safeTransferFrom reverts with 'STF' when the token transfer fails.
    expect((error as ChainTransactionRevertedError).reason).toBe('STF')
  })

  it('moves the chain clock forward', async () => {
    const before = (await chain.provider.getBlock('latest'))!.timestamp
    await increaseTime(chain, 600)
    const after = (await chain.provider.getBlock('latest'))!.timestamp
    expect(after - before).toBeGreaterThanOrEqual(600)
  })
})

describe('anvil process lifecycle', () => {
  it('resolves the platform binary', () => {
    expect(existsSync(resolveAnvilPath())).toBe(true)
  })

  it('stop() ends the process and is idempotent', async () => {
    const anvil = await startAnvil()
    expect(processIsAlive(anvil.pid)).toBe(true)
    await anvil.stop()
    expect(await waitFor(() => !processIsAlive(anvil.pid), 5_000)).toBe(true)
    await anvil.stop()
  })

  it('a missing binary gives a typed start error', async () => {
    const error = await startAnvil({ anvilPath: '/nonexistent/anvil' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AnvilStartError)
  })
})
