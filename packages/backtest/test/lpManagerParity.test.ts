import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeAsQuote } from '@alp/models'
import {
  createHttpJsonRpc,
  createInventoryUpdate,
  createLpManager,
  createRebalancePlanExecutor,
  type ExecutionContext,
  fromSeedConfig,
  getAmountsForLiquidity,
  getSqrtRatioAtTick,
  type LpRebalanceRequest,
  MemoryRebalancePlanStore,
  modelQuoteFromAs,
  type PriceOrientation,
  positionManagerInterface,
  readPoolImmutables,
  sqrtPriceX96ToPrice,
} from '@alp/uniswap-lp'
import {
  fundAccount,
  type LocalChain,
  readPoolEvents,
  replayPoolDay,
  sendLocalTransaction,
  startLocalChain,
} from '@alp/venue-sim/chain'
import { Interface, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRunConfig } from '../src/config/loadRunConfig.js'
import type { RunConfig } from '../src/config/runConfig.js'
import type { BacktestResults } from '../src/report/resultsTypes.js'
import { runBacktest } from '../src/strategy/runBacktest.js'

/*
 * Parity of the live LP manager (@alp/uniswap-lp createLpManager, on anvil with the real v3 contracts and the write
 * side's persisted-plan executor) with the backtester's LP side (runBacktest) on the same events: the first eight hours
 * of 2024-01-05 on the mainnet USDC/WETH 0.05 % pool (the 2,056 pool events with a timestamp ≤ 08:00:00 UTC, the 480
 * one-minute klines that close at 00:01 … 08:00; about 45 s on anvil). Same config: the example run's seed, AS model, initial balances (2 500 USDC +
 * 1 WETH), minIntervalMs (1 h), warm-up (10 minutes), gasUsed; gas price 0 on both sides (the backtester's constant gas
 * model at "0" gwei, the manager's gasPriceWei() → 0); no volatility range hint (rangeWidthFromVolatility: false, the
 * manager gets none); the same AS model quote at each decision (q = the holdings' excessBase over the one inventory
 * target, targetBaseShare 0.5, as runBacktest computes it, from the chain's holdings).
 *
 * The live side decides where the backtester does: at each kline's close time, after every pool event at or before it
 * (a record-time clock holds the replay; the manager steps while the replay waits for its next block).
 *
 * Tolerances, stated before the first run:
 * - rebalances: the same list: same kline, same reason, same base and limit ticks exactly; minted liquidity within
 *   10⁻⁹ relative (both mint the most liquidity the balances allow on the planned range; balances differ only by the
 *   fee differences below).
 * - fees of each closed set of positions (collect − principal, per token): within 2 × (swaps while the positions were
 *   open) + 1 base units. Why: the replay is run with priceTarget 'exact', so every swap ends on the recorded
 *   sqrtPriceX96 on both sides; our share of a swap's fee is liquidity(ours) × Δ√P × fee, independent of the
 *   background liquidity (which the two replays infer differently), up to the rounding of each swap step's fee amount
 *   (rounded up, 1 unit of the input token, times our share ≤ 1) and of the fee growth (rounded down); the backtester
 *   splits a swap that falls short of the recorded price into two (a top-up), one more rounding.
 * - fees still uncollected at the end: the same bound per token, on the swaps since the last rebalance.
 */

const CONFIG = new URL('../../../examples/two-venue-backtest/config.json', import.meta.url).pathname
const SLICE_END_MS = Date.UTC(2024, 0, 5, 8)
const MINUTE_MS = 60_000
const erc20 = new Interface([
  'function approve(address spender, uint256 amount) returns (bool)',
  'function balanceOf(address) view returns (uint256)',
])
const poolInterface = new Interface([
  'function slot0() view returns (uint160 sqrtPriceX96, int24 tick, uint16, uint16, uint16, uint8, bool)',
  'function increaseObservationCardinalityNext(uint16 observationCardinalityNext)',
])
const enumeration = new Interface([
  'function balanceOf(address owner) view returns (uint256)',
  'function tokenOfOwnerByIndex(address owner, uint256 index) view returns (uint256)',
])
const MAX_UINT128 = (1n << 128n) - 1n

type Rebalance = {
  tsMs: number
  reason: string
  base: { tickLower: number; tickUpper: number; liquidity: bigint }
  limit: { tickLower: number; tickUpper: number; liquidity: bigint } | null
  fees0Raw: bigint
  fees1Raw: bigint
}

let dir: string
let config: RunConfig
let chain: LocalChain
beforeAll(async () => {
  const example = await loadRunConfig(CONFIG)
  dir = mkdtempSync(join(tmpdir(), 'alp-lp-parity-'))
  // The slice as files of the same formats: every pool event at or before 08:00:00, the klines that close by then.
  const klines = readFileSync(example.data.klines, 'utf8').trim().split('\n')
  const pool = readFileSync(example.data.poolEvents, 'utf8').trim().split('\n')
  const keepKline = (l: string) => Number(l.split(',')[0]) + MINUTE_MS <= SLICE_END_MS
  const keepPool = (l: string) => Date.parse(`${l.split(',')[1]!.replace(' ', 'T')}Z`) <= SLICE_END_MS
  writeFileSync(join(dir, 'klines.csv'), `${[klines[0], ...klines.slice(1).filter(keepKline)].join('\n')}\n`)
  writeFileSync(join(dir, 'pool.csv'), `${[pool[0], ...pool.slice(1).filter(keepPool)].join('\n')}\n`)
  config = {
    ...example,
    data: { poolEvents: join(dir, 'pool.csv'), klines: join(dir, 'klines.csv') },
    lp: { ...example.lp, rangeWidthFromVolatility: false },
    models: { ...example.models, gas: { kind: 'constant', gasPriceGwei: '0' } },
  }
  const first = readPoolEvents(join(dir, 'pool.csv'))[0]!
  // Genesis an hour before the day: the replayed blocks carry the record's timestamps.
  chain = await startLocalChain({ extraArgs: ['--timestamp', String(first.timestampSec - 3_600)] })
}, 60_000)
afterAll(async () => {
  await chain?.stop()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

describe('the live LP manager against the backtester on the same replayed events (2024-01-05, 00:00–08:00)', () => {
  it('makes the same rebalances at the same klines and earns the same fees within the stated tolerance', async () => {
    // (a) The backtester's LP side (the whole runBacktest; its hedger does not feed the LP side without the range hint).
    const bt: BacktestResults = await runBacktest({ config })
    const btRebalances: Rebalance[] = bt.rebalances.map((r) => ({
      tsMs: r.tsMs,
      reason: r.reason,
      base: { ...r.base, liquidity: BigInt(r.base.liquidity) },
      limit: r.limit === null ? null : { ...r.limit, liquidity: BigInt(r.limit.liquidity) },
      fees0Raw: BigInt(r.fees0Raw),
      fees1Raw: BigInt(r.fees1Raw),
    }))

    // (b) The live manager on anvil, the same events replayed with priceTarget 'exact'.
    const events = readPoolEvents(config.data.poolEvents)
    expect(events.length).toBe(bt.period.poolEvents)
    const klineCloses = readFileSync(config.data.klines, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]) + MINUTE_MS)
      .filter((ts) => ts >= events[0]!.timestampSec * 1000) // runBacktest skips klines before the first pool event
    expect(klineCloses.length).toBe(bt.period.klines)

    // A record-time clock that holds the replay: `advanceTo(t)` lets every block at or before t be mined and resolves
    // once the replay waits for a later block (or is done).
    let clockMs = 0
    let waiter: { ms: number; resolve: () => void } | null = null
    let onIdle: (() => void) | null = null
    const clock = {
      nowMs: () => clockMs,
      sleepUntil: (ms: number) =>
        new Promise<void>((resolve) => {
          waiter = { ms, resolve }
          const idle = onIdle
          onIdle = null
          idle?.()
        }),
    }
    const swapTimesMs: number[] = []
    const replay = replayPoolDay({
      chain,
      events,
      clock,
      priceTarget: 'exact',
      onEvent: (p) => {
        if (p.swap !== undefined) swapTimesMs.push(p.event.timestampSec * 1000)
      },
    })
    let replayDone = false
    const done = replay.done.then((r) => {
      replayDone = true
      const idle = onIdle
      onIdle = null
      idle?.()
      return r
    })
    const advanceTo = async (t: number) => {
      clockMs = t
      if (replayDone) return
      const w = waiter as { ms: number; resolve: () => void } | null
      if (w !== null && w.ms > t) return // already waiting for a later block
      const idle = new Promise<void>((resolve) => {
        onIdle = resolve
      })
      if (w !== null) {
        waiter = null
        w.resolve()
      }
      await idle
    }
    const setup = await replay.ready
    // Hold before the first block (automine is off from here): wait for the replay's first sleepUntil.
    await advanceTo(0)

    // Our wallet (anvil account 2): the backtest's initial balances; approvals; room for TWAP observations.
    const owner = chain.accounts[2]!
    const rpc = (method: string, params: unknown[]) => chain.provider.send(method, params)
    await rpc('evm_setAutomine', [true])
    await fundAccount(chain, { token: setup.usdc, account: owner, amountRaw: BigInt(config.lp.initialAmount0Raw) })
    await fundAccount(chain, { token: setup.weth, account: owner, amountRaw: BigInt(config.lp.initialAmount1Raw) })
    for (const token of [setup.usdc, setup.weth])
      await sendLocalTransaction(
        chain.provider,
        {
          from: owner,
          to: token,
          data: erc20.encodeFunctionData('approve', [chain.uniswap.positionManager, 2n ** 255n]),
        },
        'approve',
      )
    await sendLocalTransaction(
      chain.provider,
      {
        from: owner,
        to: setup.pool.pool,
        data: poolInterface.encodeFunctionData('increaseObservationCardinalityNext', [200]),
      },
      'observations',
    )
    await rpc('evm_setAutomine', [false])

    const pool = await readPoolImmutables(chain.provider, setup.pool.pool)
    const signer = new Wallet(chain.testPrivateKeys[2]!, chain.provider)
    const ctx: ExecutionContext = {
      provider: chain.provider,
      signer,
      positionManager: chain.uniswap.positionManager,
      swapRouter: chain.uniswap.swapRouter,
      quoterV2: chain.uniswap.quoterV2,
      // The replayed chain's block times are record time, not the wall clock: no stale-tip check.
      nowMs: null,
      guards: {
        expectedChainId: BigInt(chain.chainId),
        slippageBps: 50,
        deadlineSec: 600,
        twap: { windowSec: 60, maxDeviationTicks: 1_000 },
        gasLimitPaddingBps: 3_000,
        receiptTimeoutMs: 10_000,
        receiptPollIntervalMs: 20,
      },
    }
    const seed = fromSeedConfig(config.lp.seed, { minIntervalMs: config.lp.minIntervalMs })
    let decisionMs = 0
    const executor = createRebalancePlanExecutor({
      ctx,
      pool,
      store: new MemoryRebalancePlanStore(),
      policy: { maxFeePerGasCapWei: 100n * 10n ** 9n, onFeeAboveCap: 'fail', replaceAfterMs: 5_000 },
    })
    const manager = createLpManager({
      rpc: createHttpJsonRpc({ url: chain.rpcUrl, timeoutMs: 10_000 }),
      pool: setup.pool.pool,
      positionManager: chain.uniswap.positionManager,
      owner,
      baseToken: config.pool.baseToken,
      confirmations: 0,
      policy: seed.policy,
      planner: seed.planner,
      gasUsed: config.gasUsed,
      gasPriceWei: async () => 0n,
      multicall3: null,
      executor,
      nowMs: () => decisionMs,
    })
    type Request = { tsMs: number; reason: string; request: LpRebalanceRequest }
    const requests: (Request & { fromBlock: number; toBlock: number })[] = []
    let pending: Request | null = null
    manager.on('decision', (decision, request) => {
      if (request) pending = { tsMs: decisionMs, reason: decision.reason, request }
    })

    const orientation: PriceOrientation = {
      baseToken: config.pool.baseToken,
      decimals0: config.pool.decimals0,
      decimals1: config.pool.decimals1,
    }
    const baseIs1 = config.pool.baseToken === 'token1'
    const call = async (to: string, iface: Interface, fn: string, args: unknown[], from?: string) =>
      iface.decodeFunctionResult(fn, await chain.provider.call({ to, from, data: iface.encodeFunctionData(fn, args) }))
    /**
     * runBacktest's AS quote: q = the excess over the one inventory target (createInventoryUpdate's excessBase, the live
     * manager's definition) of everything held (wallet + principal + fees of every NFT, from the chain).
     */
    const modelQuoteNow = async () => {
      const slot0 = await call(setup.pool.pool, poolInterface, 'slot0', [])
      const sqrtPriceX96 = BigInt(slot0.sqrtPriceX96)
      let held0 = BigInt((await call(setup.usdc, erc20, 'balanceOf', [owner]))[0])
      let held1 = BigInt((await call(setup.weth, erc20, 'balanceOf', [owner]))[0])
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
        const fees = await call(
          npm,
          positionManagerInterface,
          'collect',
          [{ tokenId: id, recipient: owner, amount0Max: MAX_UINT128, amount1Max: MAX_UINT128 }],
          owner,
        )
        held0 += principal.amount0 + BigInt(fees.amount0)
        held1 += principal.amount1 + BigInt(fees.amount1)
      }
      const price = sqrtPriceX96ToPrice(sqrtPriceX96, orientation)
      const inventory = createInventoryUpdate({
        source: 'parity',
        seq: 1,
        tsMs: decisionMs,
        decimals0: config.pool.decimals0,
        decimals1: config.pool.decimals1,
        baseToken: config.pool.baseToken,
        targetBaseShare: 0.5,
        amount0Raw: held0,
        amount1Raw: held1,
        sqrtPriceX96,
        prices: baseIs1 ? { token0: '1', token1: price.toFixed(6) } : { token0: price.toFixed(6), token1: '1' },
      })
      const m = config.lp.model
      const as = computeAsQuote({
        gammaPerPrice: m.gammaPerPrice,
        sigmaPerSqrtTime: m.sigmaPerSqrtSec,
        kPerPrice: m.kPerPrice,
        midPrice: price,
        q: Number(inventory.excessBase),
        timeToHorizon: m.horizonSec,
      })
      return modelQuoteFromAs(price, as)
    }

    for (const [k, closeMs] of klineCloses.entries()) {
      await advanceTo(closeMs)
      if (k + 1 <= config.lp.warmUpMinutes) continue
      decisionMs = closeMs
      manager.setModelQuote(await modelQuoteNow())
      const fromBlock = await chain.provider.getBlockNumber()
      // The manager's transactions are mined at once, one second apart after the last replayed block (mainnet blocks
      // are ≥ 12 s apart, so the replay's next block stays later); the replay waits meanwhile.
      await rpc('anvil_setBlockTimestampInterval', [1])
      await rpc('evm_setAutomine', [true])
      try {
        if (k + 1 === config.lp.warmUpMinutes + 1) await manager.start()
        else await manager.step()
      } finally {
        await rpc('evm_setAutomine', [false])
        await rpc('anvil_removeBlockTimestampInterval', [])
      }
      const p = pending as Request | null
      if (p !== null) {
        requests.push({ ...p, fromBlock: fromBlock + 1, toBlock: await chain.provider.getBlockNumber() })
        pending = null
      }
    }
    await advanceTo(Number.MAX_SAFE_INTEGER)
    const report = await done

    // Live rebalances with the fees of the positions each one closed (Collect − DecreaseLiquidity of the position
    // manager: only our NFTs use it on this chain).
    const npmLogs = async (fromBlock: number, toBlock: number) => {
      const logs = await chain.provider.getLogs({ address: chain.uniswap.positionManager, fromBlock, toBlock })
      let fees0 = 0n
      let fees1 = 0n
      for (const log of logs) {
        const parsed = positionManagerInterface.parseLog(log)
        if (parsed?.name === 'Collect') {
          fees0 += BigInt(parsed.args.amount0)
          fees1 += BigInt(parsed.args.amount1)
        } else if (parsed?.name === 'DecreaseLiquidity') {
          fees0 -= BigInt(parsed.args.amount0)
          fees1 -= BigInt(parsed.args.amount1)
        }
      }
      return { fees0, fees1 }
    }
    const minted = async (fromBlock: number, toBlock: number) => {
      const logs = await chain.provider.getLogs({ address: chain.uniswap.positionManager, fromBlock, toBlock })
      return logs
        .map((l) => positionManagerInterface.parseLog(l))
        .filter((p) => p?.name === 'IncreaseLiquidity')
        .map((p) => BigInt(p!.args.liquidity))
    }
    const liveRebalances: Rebalance[] = []
    for (const r of requests) {
      const fees = await npmLogs(r.fromBlock, r.toBlock)
      const liquidity = await minted(r.fromBlock, r.toBlock)
      const [base, limit] = r.request.mints
      liveRebalances.push({
        tsMs: r.tsMs,
        reason: r.reason,
        base: { tickLower: base!.tickLower, tickUpper: base!.tickUpper, liquidity: liquidity[0] ?? 0n },
        limit:
          limit === undefined || liquidity[1] === undefined
            ? null
            : { tickLower: limit.tickLower, tickUpper: limit.tickUpper, liquidity: liquidity[1] },
        fees0Raw: fees.fees0,
        fees1Raw: fees.fees1,
      })
    }
    const show = (r: Rebalance) =>
      `${new Date(r.tsMs).toISOString().slice(11, 16)} ${r.reason} base [${r.base.tickLower},${r.base.tickUpper}) L=${r.base.liquidity} limit ${r.limit === null ? '-' : `[${r.limit.tickLower},${r.limit.tickUpper}) L=${r.limit.liquidity}`} fees ${r.fees0Raw}/${r.fees1Raw}`
    process.stderr.write(
      `replay: ${report.events} events, ${report.blocks} blocks, ${report.swapsSent} swaps (${report.swapsExactPrice} on the recorded price; amount differences max ${report.amount0Difference.max} USDC units / ${report.amount1Difference.max} wei)\nbacktester:\n${btRebalances.map(show).join('\n')}\nlive manager:\n${liveRebalances.map(show).join('\n')}\n`,
    )

    // Same rebalances: same kline, reason, ranges.
    expect(report.swapsSent).toBe(swapTimesMs.length)
    expect(liveRebalances.map((r) => [r.tsMs, r.reason, r.base.tickLower, r.base.tickUpper])).toEqual(
      btRebalances.map((r) => [r.tsMs, r.reason, r.base.tickLower, r.base.tickUpper]),
    )
    expect(liveRebalances.map((r) => (r.limit === null ? null : [r.limit.tickLower, r.limit.tickUpper]))).toEqual(
      btRebalances.map((r) => (r.limit === null ? null : [r.limit.tickLower, r.limit.tickUpper])),
    )
    expect(btRebalances.length).toBeGreaterThanOrEqual(2) // an opening and at least one closing rebalance
    const relative = (a: bigint, b: bigint) => Math.abs(Number(a - b)) / Number(b)
    for (const [i, live] of liveRebalances.entries()) {
      const back = btRebalances[i]!
      expect(relative(live.base.liquidity, back.base.liquidity)).toBeLessThanOrEqual(1e-9)
      if (back.limit !== null) expect(relative(live.limit!.liquidity, back.limit.liquidity)).toBeLessThanOrEqual(1e-9)
    }
    // Fees of each close within 2 × (swaps while the closed positions were open) + 1 base units per token.
    for (let i = 1; i < liveRebalances.length; i++) {
      const live = liveRebalances[i]!
      const back = btRebalances[i]!
      const open = swapTimesMs.filter((t) => t > btRebalances[i - 1]!.tsMs && t <= back.tsMs).length
      const bound = BigInt(2 * open + 1)
      expect(back.fees0Raw + back.fees1Raw).toBeGreaterThan(0n)
      const diff0 = live.fees0Raw - back.fees0Raw
      const diff1 = live.fees1Raw - back.fees1Raw
      process.stderr.write(`close ${i}: ${open} swaps while open; fee difference ${diff0} USDC units, ${diff1} wei\n`)
      expect(diff0 < 0n ? -diff0 : diff0).toBeLessThanOrEqual(bound)
      expect(diff1 < 0n ? -diff1 : diff1).toBeLessThanOrEqual(bound)
    }
    // Fees still uncollected at the end of the slice (the positions of the last rebalance), in USD at the final price:
    // the backtester's fee series minus what it collected (valued at each close's pool price), against the manager's
    // uncollected fees (read from the chain, exact v3 math); the bound is the per-token one on the swaps since then.
    const last = bt.series.feesUsd.length - 1
    const finalPrice = bt.series.poolPrice[last]!
    const priceAt = (tsMs: number) => bt.series.poolPrice[bt.series.tsMs.indexOf(tsMs)]!
    const usd = (f0: bigint, f1: bigint, price: number) => Number(f0) / 1e6 + (Number(f1) / 1e18) * price
    const btUncollectedUsd =
      bt.series.feesUsd[last]! - btRebalances.reduce((sum, r) => sum + usd(r.fees0Raw, r.fees1Raw, priceAt(r.tsMs)), 0)
    const snapshot = manager.snapshot()
    expect(snapshot.lastProcessedBlock).toBeGreaterThanOrEqual(requests[requests.length - 1]!.toBlock)
    const liveUncollectedUsd = usd(snapshot.uncollectedFees.amount0Raw, snapshot.uncollectedFees.amount1Raw, finalPrice)
    const since = swapTimesMs.filter((t) => t > btRebalances[btRebalances.length - 1]!.tsMs).length
    const boundUsd = usd(BigInt(2 * since + 1), BigInt(2 * since + 1), finalPrice) + 1e-9 * btUncollectedUsd
    process.stderr.write(
      `uncollected at the end (${since} swaps since the last rebalance): backtester $${btUncollectedUsd}, manager $${liveUncollectedUsd}\n`,
    )
    expect(btUncollectedUsd).toBeGreaterThan(0)
    expect(Math.abs(liveUncollectedUsd - btUncollectedUsd)).toBeLessThanOrEqual(boundUsd)
    // The price path was the record's on every swap (priceTarget 'exact'), as the backtester's pool replay follows it.
    expect(report.swapsExactPrice).toBe(report.swapsSent)
  }, 600_000)
})
