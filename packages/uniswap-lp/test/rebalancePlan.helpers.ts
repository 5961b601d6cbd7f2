import { fundAccount, increaseTime, revertToSnapshot, takeSnapshot } from '@alp/venue-sim/chain'
import { JsonRpcProvider, Network, type Wallet } from 'ethers'
import { discoverPositions } from '../src/chain/discoverPositions.js'
import { executeMint } from '../src/chain/executeMint.js'
import type { ExecutionContext } from '../src/chain/executionContext.js'
import { erc20Interface } from '../src/chain/interfaces.js'
import { loadSignerFromEnv } from '../src/chain/loadSigner.js'
import { planMint } from '../src/chain/planMint.js'
import type { NftPosition } from '../src/chain/readNftPosition.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import { getAmountsForLiquidity } from '../src/math/liquidityAmounts.js'
import { getSqrtRatioAtTick } from '../src/math/tickMath.js'
import { nearestUsableTick } from '../src/math/tickSpacing.js'
import type { TransactionPolicy } from '../src/rebalance/types.js'
import { type ChainFixture, TWAP_WINDOW_SEC } from './src/chainFixture.js'

/** Test policy: 100 gwei cap (anvil's fees are ~1 gwei), fail above it, replace after 2 s (nothing is stuck on automine). */
export const POLICY: TransactionPolicy = {
  maxFeePerGasCapWei: 100n * 10n ** 9n,
  onFeeAboveCap: 'fail',
  replaceAfterMs: 2_000,
}

/**
 * A dedicated LP wallet (anvil account 5) funded with exactly 40 000 USDC + 20 WETH, all of it minted into one range
 * around the price; then the market moves above the range and settles (TWAP agrees). The wallet then holds only
 * dust, so "funded from the wallet" means funded from what the closes free.
 */
export type Scenario = {
  wallet: Wallet
  owner: string
  /** The NFTs open before the rebalance. */
  open: bigint[]
  context(provider?: JsonRpcProvider): ExecutionContext
  /** Back to the state right after setup (re-takes the snapshot). */
  restore(): Promise<void>
}

export async function setupScenario(
  f: ChainFixture,
  options: { nfts?: 1 | 2 /** Extra wallet funds after the mints (1 WETH + 2 000 USDC). */; spare?: boolean } = {},
): Promise<Scenario> {
  const nfts = options.nfts ?? 1
  const key = f.chain.testPrivateKeys[5]!
  const wallet = loadSignerFromEnv('ALP_TEST_PLAN_KEY', f.chain.provider, { ALP_TEST_PLAN_KEY: key })
  const owner = await wallet.getAddress()
  const usdcAmount = 40_000n * 10n ** 6n
  const wethAmount = 20n * 10n ** 18n
  await fundAccount(f.chain, { token: f.usdc, account: owner, amountRaw: usdcAmount })
  await fundAccount(f.chain, { token: f.weth, account: owner, amountRaw: wethAmount })
  const context = (provider?: JsonRpcProvider): ExecutionContext => {
    const base = f.context({ signer: provider ? (wallet.connect(provider) as Wallet) : wallet })
    return provider ? { ...base, provider } : base
  }
  const state0 = await readPoolState(f.chain.provider, f.pool.pool)
  const center0 = nearestUsableTick(state0.tick, f.pool.tickSpacing)
  const open: bigint[] = []
  for (let i = 0; i < nfts; i++) {
    const share = BigInt(nfts)
    const plan = planMint({
      pool: f.pool,
      sqrtPriceX96: state0.sqrtPriceX96,
      tickCurrent: state0.tick,
      tickLower: center0 - (5 + i) * f.pool.tickSpacing,
      tickUpper: center0 + (5 - i) * f.pool.tickSpacing,
      amount0DesiredRaw: (f.pool.token0 === f.usdc ? usdcAmount : wethAmount) / share,
      amount1DesiredRaw: (f.pool.token1 === f.usdc ? usdcAmount : wethAmount) / share,
      slippageBps: f.guards.slippageBps,
    })
    open.push((await executeMint(context(), plan)).tokenId)
  }
  if (options.spare) {
    await fundAccount(f.chain, { token: f.usdc, account: owner, amountRaw: 2_000n * 10n ** 6n })
    await fundAccount(f.chain, { token: f.weth, account: owner, amountRaw: 10n ** 18n })
  }
  // Through the range and above it (fees accrue), then a full TWAP window at the new price.
  await f.moveTickTo(state0.tick + 40)
  await f.moveTickTo(center0 + 9 * f.pool.tickSpacing)
  await increaseTime(f.chain, 2 * TWAP_WINDOW_SEC)
  let snapshot = await takeSnapshot(f.chain)
  return {
    wallet,
    owner,
    open,
    context,
    restore: async () => {
      await revertToSnapshot(f.chain, snapshot)
      snapshot = await takeSnapshot(f.chain)
    },
  }
}

/** The ranges of the test plans at the scenario's price: base = ±8 spacings; limit = token1-only, just below. */
export async function rangesAtPrice(f: ChainFixture) {
  const { tick } = await readPoolState(f.chain.provider, f.pool.pool)
  const s = f.pool.tickSpacing
  const center = nearestUsableTick(tick, s)
  const below = Math.floor(tick / s) * s
  return {
    base: { role: 'base' as const, tickLower: center - 8 * s, tickUpper: center + 8 * s },
    limitBelow: { role: 'limit' as const, tickLower: below - 6 * s, tickUpper: below },
  }
}

/** Everything the wallet holds in the pool's tokens: wallet balances + each of our positions (exact fields). */
export type Holdings = {
  /** The block everything was read at. */
  blockNumber: number
  wallet0: bigint
  wallet1: bigint
  positions: Pick<NftPosition, 'tokenId' | 'tickLower' | 'tickUpper' | 'liquidity' | 'tokensOwed0' | 'tokensOwed1'>[]
}

export async function readHoldings(f: ChainFixture, owner: string): Promise<Holdings> {
  const found = await discoverPositions(f.chain.provider, {
    positionManager: f.chain.uniswap.positionManager,
    owner,
    pool: f.pool,
  })
  // Balances at the block the positions were read at: right after a crash the last broadcast may still be being
  // mined (anvil mines asynchronously), and mixing blocks would count a mint's funds in neither place.
  const balanceAt = async (token: string) =>
    BigInt(
      erc20Interface.decodeFunctionResult(
        'balanceOf',
        await f.chain.provider.call({
          to: token,
          data: erc20Interface.encodeFunctionData('balanceOf', [owner]),
          blockTag: found.blockNumber,
        }),
      )[0],
    )
  return {
    blockNumber: found.blockNumber,
    wallet0: await balanceAt(f.pool.token0),
    wallet1: await balanceAt(f.pool.token1),
    positions: found.positions.map((p) => ({
      tokenId: p.tokenId,
      tickLower: p.tickLower,
      tickUpper: p.tickUpper,
      liquidity: p.liquidity,
      tokensOwed0: p.tokensOwed0,
      tokensOwed1: p.tokensOwed1,
    })),
  }
}

/** Wallet + positions (principal at the current price + owed) valued in token1 at the current price. */
export async function valueInToken1(f: ChainFixture, h: Holdings): Promise<bigint> {
  const { sqrtPriceX96 } = await readPoolState(f.chain.provider, f.pool.pool, h.blockNumber)
  let amount0 = h.wallet0
  let amount1 = h.wallet1
  for (const p of h.positions) {
    const a = getAmountsForLiquidity(
      sqrtPriceX96,
      getSqrtRatioAtTick(p.tickLower),
      getSqrtRatioAtTick(p.tickUpper),
      p.liquidity,
    )
    amount0 += a.amount0 + p.tokensOwed0
    amount1 += a.amount1 + p.tokensOwed1
  }
  return amount1 + (amount0 * sqrtPriceX96 * sqrtPriceX96) / 2n ** 192n
}

export type Fault = 'timeout' | 'drop'

/**
 * A JSON-RPC provider in front of anvil that fails on purpose: `decide(method)` returns 'timeout' (the request
 * never reaches the node), 'drop' (the node executes it, the answer is lost) or null.
 */
export class FaultyProvider extends JsonRpcProvider {
  decide: (method: string) => Fault | null = () => null
  faults = 0

  constructor(rpcUrl: string, chainId: number) {
    const network = Network.from(chainId)
    super(rpcUrl, network, { staticNetwork: network, cacheTimeout: -1, batchMaxCount: 1, pollingInterval: 20 })
  }

  override async send(method: string, params: unknown[] | Record<string, unknown>): Promise<unknown> {
    const fault = this.decide(method)
    if (fault === 'timeout') {
      this.faults++
      throw new Error(`injected timeout: ${method}`)
    }
    const result = await super.send(method, params)
    if (fault === 'drop') {
      this.faults++
      throw new Error(`injected dropped response: ${method}`)
    }
    return result
  }
}
