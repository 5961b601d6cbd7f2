import { revertToSnapshot, sendLocalTransaction, takeSnapshot } from '@alp/venue-sim/chain'
import { Interface } from 'ethers'
import { executeMint } from '../../src/chain/executeMint.js'
import { planMint } from '../../src/chain/planMint.js'
import { readPoolState } from '../../src/chain/readPoolState.js'
import { fromSeedConfig } from '../../src/config/fromSeedConfig.js'
import { createHttpJsonRpc, type JsonRpc } from '../../src/manager/jsonRpc.js'
import { createLpManager, type LpManager } from '../../src/manager/LpManager.js'
import type { LpManagerOptions } from '../../src/manager/types.js'
import { nearestUsableTick } from '../../src/math/tickSpacing.js'
import { type ChainFixture, setupChainFixture } from '../src/chainFixture.js'
import { installMulticall3 } from './multicall3.js'

const transferInterface = new Interface(['function transfer(address to, uint256 amount) returns (bool)'])

export type ManagerFixture = ChainFixture & {
  owner: string
  /** WETH is the base token (the hedged one). */
  baseToken: 'token0' | 'token1'
  seed: ReturnType<typeof fromSeedConfig>
  rpc(url?: string, timeoutMs?: number): JsonRpc
  newManager(overrides?: Partial<LpManagerOptions>): LpManager
  /** Mints a position of the LP around the spot price (spacings below/above) with the given amounts. */
  mintAround(spacingsBelow: number, spacingsAbove: number, usdcRaw: bigint, wethRaw: bigint): Promise<bigint>
}

/**
 * The chain fixture plus what the manager tests need: Multicall3 at its canonical address, the LP wallet cut down to
 * 200 000 USDC + 100 WETH (the rest sent to account 4) so that our positions stay small next to the background
 * liquidity, and a factory for managers on this chain.
 */
export async function setupManagerFixture(): Promise<ManagerFixture> {
  const f = await setupChainFixture()
  await installMulticall3(f.chain)
  const owner = await f.lp.getAddress()
  const sink = f.chain.accounts[4]!
  for (const [token, keep] of [
    [f.usdc, 200_000n * 10n ** 6n],
    [f.weth, 100n * 10n ** 18n],
  ] as const) {
    const balance = await f.balanceOf(token, owner)
    await sendLocalTransaction(
      f.chain.provider,
      { from: owner, to: token, data: transferInterface.encodeFunctionData('transfer', [sink, balance - keep]) },
      'transfer',
    )
  }
  const baseToken = f.pool.token0.toLowerCase() === f.weth.toLowerCase() ? 'token0' : 'token1'
  const seed = fromSeedConfig(
    { BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'AS' },
    { minIntervalMs: 0 },
  )
  const rpc = (url = f.chain.rpcUrl, timeoutMs = 5_000) => createHttpJsonRpc({ url, timeoutMs })
  let snapshot = await takeSnapshot(f.chain)
  const fixture: ManagerFixture = {
    ...f,
    // The chain fixture's own reset would go back to before the Multicall3 install and the balance cut.
    reset: async () => {
      await revertToSnapshot(f.chain, snapshot)
      snapshot = await takeSnapshot(f.chain)
    },
    owner,
    baseToken,
    seed,
    rpc,
    newManager: (overrides) =>
      createLpManager({
        rpc: rpc(),
        pool: f.pool.pool,
        positionManager: f.chain.uniswap.positionManager,
        owner,
        baseToken,
        confirmations: 0,
        policy: { ...seed.policy, minGainToGasRatio: 0 },
        planner: seed.planner,
        executor: null,
        ...overrides,
      }),
    mintAround: async (below, above, usdcRaw, wethRaw) => {
      const state = await readPoolState(f.chain.provider, f.pool.pool)
      const center = nearestUsableTick(state.tick, f.pool.tickSpacing)
      const usdcIs0 = f.pool.token0.toLowerCase() === f.usdc.toLowerCase()
      const plan = planMint({
        pool: f.pool,
        sqrtPriceX96: state.sqrtPriceX96,
        tickCurrent: state.tick,
        tickLower: center - below * f.pool.tickSpacing,
        tickUpper: center + above * f.pool.tickSpacing,
        amount0DesiredRaw: usdcIs0 ? usdcRaw : wethRaw,
        amount1DesiredRaw: usdcIs0 ? wethRaw : usdcRaw,
        slippageBps: f.guards.slippageBps,
      })
      return (await executeMint(f.context(), plan)).tokenId
    },
  }
  return fixture
}
