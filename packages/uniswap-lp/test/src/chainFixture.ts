import {
  addLiquidity,
  createPool,
  deployTestToken,
  fundAccount,
  increaseTime,
  type LocalChain,
  revertToSnapshot,
  sendLocalTransaction,
  startLocalChain,
  swapExactInputSingle,
  takeSnapshot,
} from '@alp/venue-sim/chain'
import type { Wallet } from 'ethers'
import type { ExecutionContext, ExecutionGuards } from '../../src/chain/executionContext.js'
import { erc20Interface, poolInterface } from '../../src/chain/interfaces.js'
import { loadSignerFromEnv } from '../../src/chain/loadSigner.js'
import { type PoolImmutables, readPoolImmutables } from '../../src/chain/readPoolImmutables.js'
import { readPoolState } from '../../src/chain/readPoolState.js'
import { getSqrtRatioAtTick } from '../../src/math/tickMath.js'

/**
 * One anvil per test file: USDC (6) / WETH (18) 0.05 % pool at 2000 USDC per WETH with full-range background liquidity
 * of 20M USDC + 10k WETH (a 40k USDC swap moves it ~40 ticks).
 */
export type ChainFixture = {
  chain: LocalChain
  usdc: string
  weth: string
  pool: PoolImmutables
  /** The LP's signer (anvil account 2), loaded the way production loads it: from an environment variable. */
  lp: Wallet
  lpPrivateKey: string
  /** Moves the price with swaps from another account (anvil account 3). */
  trader: string
  guards: ExecutionGuards
  context(overrides?: { guards?: Partial<ExecutionGuards>; signer?: Wallet }): ExecutionContext
  /** Restores the state right after setup (takes a fresh snapshot, since anvil consumes the one it reverts to). */
  reset(): Promise<void>
  /** Swaps from the trader until the pool tick reaches `targetTick` (exactInputSingle with a price limit). */
  moveTickTo(targetTick: number): Promise<void>
  balanceOf(token: string, account: string): Promise<bigint>
  nonceOf(account: string): Promise<number>
}

export const TWAP_WINDOW_SEC = 600

export async function setupChainFixture(): Promise<ChainFixture> {
  const chain = await startLocalChain()
  try {
    const usdc = await deployTestToken(chain, { name: 'USD Coin', symbol: 'USDC', decimals: 6 })
    const weth = await deployTestToken(chain, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 })
    const created = await createPool(chain, { tokenA: weth, tokenB: usdc, feePips: 500, priceBPerA: '2000' })
    await sendLocalTransaction(
      chain.provider,
      {
        from: chain.accounts[0]!,
        to: created.pool,
        data: poolInterface.encodeFunctionData('increaseObservationCardinalityNext', [64]),
      },
      'increaseObservationCardinalityNext',
    )
    const [background, lpAddress, trader] = [chain.accounts[1]!, chain.accounts[2]!, chain.accounts[3]!]
    const amountOf = (token: string, usdcAmount: bigint, wethAmount: bigint) =>
      token === usdc ? usdcAmount : wethAmount
    for (const account of [background, lpAddress, trader]) {
      await fundAccount(chain, { token: usdc, account, amountRaw: 50_000_000n * 10n ** 6n })
      await fundAccount(chain, { token: weth, account, amountRaw: 25_000n * 10n ** 18n })
    }
    await addLiquidity(chain, {
      pool: created,
      from: background,
      amount0DesiredRaw: amountOf(created.token0, 20_000_000n * 10n ** 6n, 10_000n * 10n ** 18n),
      amount1DesiredRaw: amountOf(created.token1, 20_000_000n * 10n ** 6n, 10_000n * 10n ** 18n),
    })
    // Let a full TWAP window pass at the initial price.
    await increaseTime(chain, 2 * TWAP_WINDOW_SEC)
    const pool = await readPoolImmutables(chain.provider, created.pool)
    const lpPrivateKey = chain.testPrivateKeys[2]!
    const lp = loadSignerFromEnv('ALP_TEST_LP_PRIVATE_KEY', chain.provider, { ALP_TEST_LP_PRIVATE_KEY: lpPrivateKey })
    const guards: ExecutionGuards = {
      expectedChainId: BigInt(chain.chainId),
      slippageBps: 50,
      deadlineSec: 600,
      twap: { windowSec: TWAP_WINDOW_SEC, maxDeviationTicks: 100 },
      gasLimitPaddingBps: 3_000,
      receiptTimeoutMs: 10_000,
      receiptPollIntervalMs: 20,
    }
    let snapshot = await takeSnapshot(chain)
    const balanceOf = async (token: string, account: string) =>
      BigInt(
        erc20Interface.decodeFunctionResult(
          'balanceOf',
          await chain.provider.call({ to: token, data: erc20Interface.encodeFunctionData('balanceOf', [account]) }),
        )[0],
      )
    return {
      chain,
      usdc,
      weth,
      pool,
      lp,
      lpPrivateKey,
      trader,
      guards,
      context: (overrides) => ({
        provider: chain.provider,
        signer: overrides?.signer ?? lp,
        positionManager: chain.uniswap.positionManager,
        swapRouter: chain.uniswap.swapRouter,
        quoterV2: chain.uniswap.quoterV2,
        guards: { ...guards, ...overrides?.guards },
      }),
      reset: async () => {
        await revertToSnapshot(chain, snapshot)
        snapshot = await takeSnapshot(chain)
      },
      moveTickTo: async (targetTick) => {
        const { tick } = await readPoolState(chain.provider, pool.pool)
        if (tick === targetTick) return
        // Price up (token1 per token0) = token1 in; price down = token0 in.
        const zeroForOne = targetTick < tick
        // Amounts far larger than needed: the swap stops at the price limit.
        const limit = getSqrtRatioAtTick(targetTick)
        await swapExactInputSingle(chain, {
          from: trader,
          tokenIn: zeroForOne ? pool.token0 : pool.token1,
          tokenOut: zeroForOne ? pool.token1 : pool.token0,
          feePips: pool.feePips,
          amountInRaw: amountOf(zeroForOne ? pool.token0 : pool.token1, 10_000_000n * 10n ** 6n, 5_000n * 10n ** 18n),
          sqrtPriceLimitX96: limit,
        })
      },
      balanceOf,
      nonceOf: (account) => chain.provider.getTransactionCount(account, 'latest'),
    }
  } catch (error) {
    await chain.stop()
    throw error
  }
}
