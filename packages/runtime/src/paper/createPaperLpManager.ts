import { computeAsQuote } from '@alp/models'
import {
  createInventoryUpdate,
  getAmountsForLiquidity,
  getSqrtRatioAtTick,
  type InventoryUpdate,
  type LpRebalanceRequest,
  modelQuoteFromAs,
  type PriceOrientation,
  positionManagerInterface,
  sqrtPriceX96ToPrice,
} from '@alp/uniswap-lp'
import type { LocalChain, ReplayPoolDaySetup } from '@alp/venue-sim/chain'
import { Interface } from 'ethers'
import type { RoleConfig } from '../config/loadConfig.js'
import { createLpManagerFromConfig } from '../deployment/createLpManagerFromConfig.js'
import type { LpManagerLike } from '../roles/startLpManagerRole.js'
import type { ReplayGate } from './createReplayGate.js'
import type { PaperStrategy } from './paperStrategy.js'

const erc20 = new Interface([
  'function approve(address spender, uint256 amount) returns (bool)',
  'function balanceOf(address) view returns (uint256)',
])
const poolInterface = new Interface([
  'function slot0() view returns (uint160 sqrtPriceX96, int24 tick, uint16, uint16, uint16, uint8, bool)',
])
const enumeration = new Interface([
  'function balanceOf(address owner) view returns (uint256)',
  'function tokenOfOwnerByIndex(address owner, uint256 index) view returns (uint256)',
])
const MAX_UINT128 = (1n << 128n) - 1n

/** One rebalance the paper LP manager executed, read back from the chain's logs. */
export type PaperRebalance = {
  readonly tsMs: number
  readonly reason: string
  readonly base: { tickLower: number; tickUpper: number; liquidity: bigint }
  readonly limit: { tickLower: number; tickUpper: number; liquidity: bigint } | null
  /** The hedger's range hint in force when it was planned (bps), null without one. */
  readonly rangeHalfWidthBps: number | null
  /** Fees collected from the closed positions (Collect − DecreaseLiquidity of our NFTs), token units. */
  readonly fees0Raw: bigint
  readonly fees1Raw: bigint
  /** Gas of its transactions as anvil charged it (gas used × effective gas price) and gas units used. */
  readonly gasPaidWei: bigint
  readonly gasUnits: bigint
  /** Pool price (quote per base) at the decision. */
  readonly poolPrice: number
}

/** The LP side at one kline close, after that minute's decision (what the backtester's series hold). */
export type PaperLpSample = {
  readonly tsMs: number
  readonly sqrtPriceX96: bigint
  readonly poolPrice: number
  /** Wallet, principal of every NFT, uncollected fees (token units). */
  readonly wallet0Raw: bigint
  readonly wallet1Raw: bigint
  readonly principal0Raw: bigint
  readonly principal1Raw: bigint
  readonly uncollected0Raw: bigint
  readonly uncollected1Raw: bigint
  readonly base: { tickLower: number; tickUpper: number } | null
  readonly limit: { tickLower: number; tickUpper: number } | null
}

export type PaperLpManager = LpManagerLike & {
  /** Starts the stepping loop (the role's `intervalMs` is not used: the kline closes pace it). */
  run(): undefined
  /** Ends the loop after the step in flight. */
  stop(): Promise<void>
  readonly rebalances: readonly PaperRebalance[]
  readonly samples: readonly PaperLpSample[]
  /** Decisions taken (one per kline close after the warm-up). */
  readonly decisions: number
  /** Resolves when the stepping loop has ended (after the last kline close of the window, or `stop()`). */
  readonly finished: Promise<void>
  /** Errors of steps, with the kline close (replay time) of the step (each also passed to `onError`). */
  readonly errors: readonly { readonly tsMs: number; readonly error: unknown }[]
}

export type CreatePaperLpManagerParameters = {
  readonly chain: LocalChain
  readonly setup: ReplayPoolDaySetup
  readonly gate: ReplayGate
  /** The shared replay clock. */
  readonly clock: { nowMs(): number; sleepUntil(ms: number): Promise<void> }
  /** The lp-manager role of the paper config: the manager is built from its `[LP]` section. */
  readonly role: RoleConfig
  readonly strategy: PaperStrategy
  /** Kline close times of the window, ms: one decision at each after the warm-up. */
  readonly klineCloses: readonly number[]
  readonly onError?: ((error: unknown) => void) | undefined
}

/**
 * The lp-manager role's manager in paper mode: the live LP manager built from the role's `[LP]` section
 * (`createLpManagerFromConfig`, i.e. `createLpManager` of `@alp/uniswap-lp` with the persisted-plan executor and its
 * guards) against the replayed pool on anvil, stepped where the backtester decides: at each kline close (replay time),
 * after every replayed block at or before it (the replay gate), with the AS model quote computed as `runBacktest`
 * computes it (q = the holdings' excess over the one inventory target, from the chain) and the same gas price, paid. Its transactions
 * are mined at once, one second apart after the last replayed block (automine on with a block timestamp interval while
 * the replay is held), as in `packages/backtest/test/lpManagerParity.test.ts`. `run()` (the role's start) starts the
 * loop; the role's `intervalMs` is ignored: the kline closes pace it.
 */
export async function createPaperLpManager(parameters: CreatePaperLpManagerParameters): Promise<PaperLpManager> {
  const { chain, setup, gate, clock, strategy } = parameters
  const rpc = (method: string, params: unknown[]) => chain.provider.send(method, params)
  let decisionMs = 0
  const built = await createLpManagerFromConfig(parameters.role, {
    nowMs: () => decisionMs,
    // The replayed chain's block times are record time, not the wall clock: no stale-tip check.
    chainNowMs: null,
    // The decision prices gas as the backtester's gas model does (what anvil charged is reported beside it).
    gasPriceWei: async () => strategy.gasPriceWei,
    // Every transaction pays exactly the model's gas price (anvil runs with base fee 0), so gas in USD compares.
    priorityFeePerGasWei: async () => strategy.gasPriceWei,
    // Started at the first decision (the end of the warm-up), as the backtester opens its first position.
    start: false,
  })
  const manager = built.manager
  const owner = built.owner
  let pending: { reason: string; request: LpRebalanceRequest } | null = null
  manager.on('decision', (decision, request) => {
    if (request) pending = { reason: decision.reason, request }
  })

  const orientation: PriceOrientation = {
    baseToken: strategy.pool.baseToken,
    decimals0: strategy.pool.decimals0,
    decimals1: strategy.pool.decimals1,
  }
  const baseIs1 = strategy.pool.baseToken === 'token1'
  const call = async (to: string, iface: Interface, fn: string, args: unknown[], from?: string) =>
    iface.decodeFunctionResult(fn, await chain.provider.call({ to, from, data: iface.encodeFunctionData(fn, args) }))

  /** Wallet + principal + uncollected fees of every NFT of ours, read from the chain now. */
  const readChain = async () => {
    const slot0 = await call(setup.pool.pool, poolInterface, 'slot0', [])
    const sqrtPriceX96 = BigInt(slot0.sqrtPriceX96)
    const wallet0Raw = BigInt((await call(setup.usdc, erc20, 'balanceOf', [owner]))[0])
    const wallet1Raw = BigInt((await call(setup.weth, erc20, 'balanceOf', [owner]))[0])
    let principal0Raw = 0n
    let principal1Raw = 0n
    let uncollected0Raw = 0n
    let uncollected1Raw = 0n
    const npm = chain.uniswap.positionManager
    const count = Number((await call(npm, enumeration, 'balanceOf', [owner]))[0])
    for (let i = 0; i < count; i++) {
      const id = BigInt((await call(npm, enumeration, 'tokenOfOwnerByIndex', [owner, i]))[0])
      const p = await call(npm, positionManagerInterface, 'positions', [id])
      const principal = getAmountsForLiquidity(
        sqrtPriceX96,
        getSqrtRatioAtTick(Number(p.tickLower)),
        getSqrtRatioAtTick(Number(p.tickUpper)),
        BigInt(p.liquidity),
      )
      principal0Raw += principal.amount0
      principal1Raw += principal.amount1
      const fees = await call(
        npm,
        positionManagerInterface,
        'collect',
        [{ tokenId: id, recipient: owner, amount0Max: MAX_UINT128, amount1Max: MAX_UINT128 }],
        owner,
      )
      uncollected0Raw += BigInt(fees.amount0)
      uncollected1Raw += BigInt(fees.amount1)
    }
    return {
      sqrtPriceX96,
      poolPrice: sqrtPriceX96ToPrice(sqrtPriceX96, orientation),
      wallet0Raw,
      wallet1Raw,
      principal0Raw,
      principal1Raw,
      uncollected0Raw,
      uncollected1Raw,
    }
  }
  const modelQuoteNow = (read: Awaited<ReturnType<typeof readChain>>) => {
    // q = the excess over the one inventory target (createInventoryUpdate's excessBase, targetBaseShare 0.5), as
    // runBacktest computes it, of everything held (wallet + principal + fees of every NFT, from the chain).
    const inventory = createInventoryUpdate({
      source: 'paper',
      seq: 1,
      tsMs: decisionMs,
      decimals0: strategy.pool.decimals0,
      decimals1: strategy.pool.decimals1,
      baseToken: strategy.pool.baseToken,
      targetBaseShare: 0.5,
      amount0Raw: read.wallet0Raw + read.principal0Raw + read.uncollected0Raw,
      amount1Raw: read.wallet1Raw + read.principal1Raw + read.uncollected1Raw,
      sqrtPriceX96: read.sqrtPriceX96,
      prices: baseIs1
        ? { token0: '1', token1: read.poolPrice.toFixed(6) }
        : { token0: read.poolPrice.toFixed(6), token1: '1' },
    })
    const m = strategy.model
    const as = computeAsQuote({
      gammaPerPrice: m.gammaPerPrice,
      sigmaPerSqrtTime: m.sigmaPerSqrtSec,
      kPerPrice: m.kPerPrice,
      midPrice: read.poolPrice,
      q: Number(inventory.excessBase),
      timeToHorizon: m.horizonSec,
    })
    return modelQuoteFromAs(read.poolPrice, as)
  }
  /** Our transactions in the blocks of one rebalance: the fees its collects freed, gas paid, liquidity minted. */
  const readRebalanceLogs = async (fromBlock: number, toBlock: number) => {
    const logs = await chain.provider.getLogs({ address: chain.uniswap.positionManager, fromBlock, toBlock })
    let fees0 = 0n
    let fees1 = 0n
    const minted: bigint[] = []
    const hashes = new Set<string>()
    for (const log of logs) {
      const parsed = positionManagerInterface.parseLog(log)
      hashes.add(log.transactionHash)
      if (parsed?.name === 'Collect') {
        fees0 += BigInt(parsed.args.amount0)
        fees1 += BigInt(parsed.args.amount1)
      } else if (parsed?.name === 'DecreaseLiquidity') {
        fees0 -= BigInt(parsed.args.amount0)
        fees1 -= BigInt(parsed.args.amount1)
      } else if (parsed?.name === 'IncreaseLiquidity') minted.push(BigInt(parsed.args.liquidity))
    }
    let gasPaidWei = 0n
    let gasUnits = 0n
    for (let block = fromBlock; block <= toBlock; block++) {
      const receipts = (await rpc('eth_getBlockReceipts', [`0x${block.toString(16)}`])) as {
        from: string
        gasUsed: string
        effectiveGasPrice: string
      }[]
      for (const r of receipts ?? [])
        if (r.from.toLowerCase() === owner.toLowerCase()) {
          gasUnits += BigInt(r.gasUsed)
          gasPaidWei += BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice)
        }
    }
    return { fees0, fees1, minted, gasPaidWei, gasUnits }
  }

  const rebalances: PaperRebalance[] = []
  const samples: PaperLpSample[] = []
  const errors: { tsMs: number; error: unknown }[] = []
  let decisions = 0
  let rangeHalfWidthBps: number | null = null
  let running: Promise<void> | null = null
  let stopped = false
  let lastMints: LpRebalanceRequest['mints'] = []
  let resolveFinished: () => void = () => undefined
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve
  })

  const decideAt = async (closeMs: number, first: boolean): Promise<void> => {
    decisionMs = closeMs
    const before = await readChain()
    manager.setModelQuote(modelQuoteNow(before))
    const fromBlock = (await chain.provider.getBlockNumber()) + 1
    await rpc('anvil_setBlockTimestampInterval', [1])
    await rpc('evm_setAutomine', [true])
    try {
      if (first) await manager.start()
      else await manager.step()
    } finally {
      await rpc('evm_setAutomine', [false])
      await rpc('anvil_removeBlockTimestampInterval', [])
    }
    decisions++
    const p = pending as { reason: string; request: LpRebalanceRequest } | null
    pending = null
    if (p === null) return
    const toBlock = await chain.provider.getBlockNumber()
    const logs = await readRebalanceLogs(fromBlock, toBlock)
    const [base, limit] = p.request.mints
    lastMints = p.request.mints
    rebalances.push({
      tsMs: closeMs,
      reason: p.reason,
      base: {
        tickLower: base?.tickLower ?? 0,
        tickUpper: base?.tickUpper ?? 0,
        liquidity: logs.minted[0] ?? 0n,
      },
      limit:
        limit === undefined || logs.minted[1] === undefined
          ? null
          : { tickLower: limit.tickLower, tickUpper: limit.tickUpper, liquidity: logs.minted[1] },
      rangeHalfWidthBps,
      fees0Raw: logs.fees0,
      fees1Raw: logs.fees1,
      gasPaidWei: logs.gasPaidWei,
      gasUnits: logs.gasUnits,
      poolPrice: before.poolPrice,
    })
  }

  const loop = async (): Promise<void> => {
    try {
      for (const [k, closeMs] of parameters.klineCloses.entries()) {
        await clock.sleepUntil(closeMs)
        if (stopped) break
        await gate.advanceTo(closeMs)
        if (stopped) break
        if (k + 1 > strategy.warmUpMinutes)
          try {
            await decideAt(closeMs, k + 1 === strategy.warmUpMinutes + 1)
          } catch (error) {
            errors.push({ tsMs: closeMs, error })
            parameters.onError?.(error)
          }
        const read = await readChain()
        const [base, limit] = lastMints
        samples.push({
          tsMs: closeMs,
          ...read,
          base: base === undefined ? null : { tickLower: base.tickLower, tickUpper: base.tickUpper },
          limit: limit === undefined ? null : { tickLower: limit.tickLower, tickUpper: limit.tickUpper },
        })
      }
    } catch (error) {
      errors.push({ tsMs: clock.nowMs(), error })
      parameters.onError?.(error)
    } finally {
      resolveFinished()
    }
  }

  return {
    on(event: 'inventory' | 'executed', listener: (payload: never) => void) {
      manager.on(event as 'inventory', listener as (update: InventoryUpdate) => void)
      return this
    },
    off(event: 'inventory' | 'executed', listener: (payload: never) => void) {
      manager.off(event as 'inventory', listener as (update: InventoryUpdate) => void)
      return this
    },
    // For alp status and the lp.pnl messages (LP fees and gas in the journal's PnL snapshots).
    snapshot: () => manager.snapshot(),
    setRangeHalfWidthBps(bps: number) {
      // Applied only when the strategy says so (`rangeWidthFromVolatility`): see docs/deployment.md#paper-mode.
      if (!strategy.rangeWidthFromVolatility) return
      rangeHalfWidthBps = bps
      manager.setRangeHalfWidthBps(bps)
    },
    run() {
      if (running === null) running = loop()
      return undefined
    },
    async stop() {
      stopped = true
      gate.finish()
      if (running !== null) await finished
    },
    get rebalances() {
      return rebalances
    },
    get samples() {
      return samples
    },
    get decisions() {
      return decisions
    },
    get errors() {
      return errors
    },
    finished,
  }
}

/** Funds the LP wallet with the strategy's initial amounts and approves the position manager (automine on meanwhile). */
export async function fundPaperWallet(
  chain: LocalChain,
  setup: ReplayPoolDaySetup,
  owner: string,
  strategy: PaperStrategy,
  tools: {
    fundAccount: typeof import('@alp/venue-sim/chain').fundAccount
    sendLocalTransaction: typeof import('@alp/venue-sim/chain').sendLocalTransaction
  },
): Promise<void> {
  const rpc = (method: string, params: unknown[]) => chain.provider.send(method, params)
  await rpc('evm_setAutomine', [true])
  try {
    await tools.fundAccount(chain, { token: setup.usdc, account: owner, amountRaw: strategy.initialAmount0Raw })
    await tools.fundAccount(chain, { token: setup.weth, account: owner, amountRaw: strategy.initialAmount1Raw })
    for (const token of [setup.usdc, setup.weth])
      await tools.sendLocalTransaction(
        chain.provider,
        {
          from: owner,
          to: token,
          data: erc20.encodeFunctionData('approve', [chain.uniswap.positionManager, 2n ** 255n]),
        },
        'approve',
      )
    await tools.sendLocalTransaction(
      chain.provider,
      {
        from: owner,
        to: setup.pool.pool,
        data: new Interface([
          'function increaseObservationCardinalityNext(uint16 observationCardinalityNext)',
        ]).encodeFunctionData('increaseObservationCardinalityNext', [200]),
      },
      'observations',
    )
  } finally {
    await rpc('evm_setAutomine', [false])
  }
}
