import { EventEmitter } from 'eventemitter3'
import { erc20Interface, poolInterface } from '../chain/interfaces.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { InventoryEventStream } from '../inventory/InventoryEventStream.js'
import type { InventoryUpdate } from '../inventory/types.js'
import { formatSqrtPriceX96, type PriceOrientation } from '../math/priceTick.js'
import type { ModelQuote } from '../planner/types.js'
import { createRebalancePolicyState } from '../policy/createRebalancePolicyState.js'
import type { RebalanceDecision, RebalancePolicyState } from '../policy/types.js'
import { applyPnlEvent } from '../valuation/applyPnlEvent.js'
import { createPnlState } from '../valuation/createPnlState.js'
import { getPnlSnapshot } from '../valuation/getPnlSnapshot.js'
import type { PnlMarks, PnlSnapshot } from '../valuation/pnlTypes.js'
import { type UsdPrices, valueInUsd } from '../valuation/valueInUsd.js'
import type { LedgerContext } from './applyLedgerBlock.js'
import { type BatchReader, createBatchReader } from './batchReader.js'
import type { ChainSource } from './chainTypes.js'
import { computeHoldings, type Holdings, holdingsChanged } from './computeHoldings.js'

/** Unchanged holdings are published again once the last inventory update is this old (ms). */
export const DEFAULT_INVENTORY_HEARTBEAT_MS = 15_000

import { createRpcChainSource } from './createRpcChainSource.js'
import { decideLpAction, type LpRebalanceRequest, pickBaseRange } from './decideLpAction.js'
import { describeExecution, type LpRebalanceExecution } from './describeExecution.js'
import { LpManagerStateError, RpcReadError } from './errors.js'
import { estimateExpectedGainUsd, type FeeSample, pruneFeeSamples } from './estimateExpectedGain.js'
import { createLedger, ledgerHead, parseLedger, serializeLedger } from './ledger.js'
import type { Ledger, LedgerState } from './ledgerState.js'
import { enumerateOwnedTokenIds, readChainHoldings } from './readChainHoldings.js'
import { syncChain } from './syncChain.js'
import type {
  LpManagerEvents,
  LpManagerOptions,
  LpManagerRange,
  LpManagerSnapshot,
  LpManagerStepReport,
} from './types.js'

const CHECKPOINT_VERSION = 1
const DEFAULT_GAS_USED = { mint: 500_000, burn: 200_000, collect: 150_000 }

type PoolInfo = {
  address: string
  token0: string
  token1: string
  feePips: number
  decimals0: number
  decimals1: number
}

/**
 * Creates a live LP manager for one pool and one wallet (nothing is read until `start()`). See docs/lp-manager.md.
 */
export function createLpManager(options: LpManagerOptions): LpManager {
  return new LpManager(options)
}

/**
 * The live LP manager: follows the pool's and the position manager's logs on confirmed blocks (reorg-safe), keeps the
 * holdings (wallet + positions + uncollected fees, batched reads), publishes an InventoryUpdate on every change, asks
 * the rebalance policy and hands base + limit plans to the injected write side. Drive it with `step()` (one cycle) or
 * `run()` (a polling loop).
 */
export class LpManager extends EventEmitter<LpManagerEvents> {
  readonly #o: LpManagerOptions
  readonly #source: ChainSource
  readonly #nowMs: () => number
  #reader: BatchReader | null = null
  #pool: PoolInfo | null = null
  #inventory: InventoryEventStream | null = null
  #ledger: Ledger | null = null
  #policyState: RebalancePolicyState = createRebalancePolicyState()
  #feeSamples: FeeSample[] = []
  #holdings: Holdings | null = null
  #lastDecision: RebalanceDecision | null = null
  #lastInventory: InventoryUpdate | null = null
  #quote: ModelQuote | null = null
  #rangeHint: { bps: number } | { ticks: number } | null = null
  /** After an execution: no decision until the follower has processed this block. */
  #decideAfterBlock = -1
  /**
   * After resume() returned a plan: holdings read at a block below this one predate the plan's last transaction and
   * are read again before any decision (the chain's head when resume() returned; -1: none).
   */
  #holdingsStaleBelow = -1
  /**
   * resume() returned a plan (it finished or advanced one) and #holdingsStaleBelow is not set from the chain's head
   * after it yet: the next step reads that head and ends without deciding.
   */
  #resumedPlanPending = false
  #resumeNeeded = false
  /** The ranges of the last executed request (labels the limit in snapshot()). */
  #lastMints: LpRebalanceRequest['mints'] = []
  /** The last rebalance executed by this instance (snapshot(): a listener that joins after start() still gets it). */
  #lastExecution: LpRebalanceExecution | null = null
  #stopped = false
  /**
   * The request handed to execute() and not yet reported as executed (saved in the checkpoint): when execute() throws
   * mid-plan, or the process dies, resume() finishes the plan and its 'executed' is built from this.
   */
  #inFlight: InFlightExecution | null = null
  /** Plan ids already reported as 'executed' (the newest 64): a plan resume() returns again is not reported twice. */
  #emittedPlanIds: string[] = []
  /** Holdings read by the baseline at its block (the first step publishes them without reading again). */
  #prefetched: Holdings | null = null

  constructor(options: LpManagerOptions) {
    super()
    this.#o = options
    this.#source = createRpcChainSource(options.rpc)
    this.#nowMs = options.nowMs ?? Date.now
  }

  /** The inventory stream (`on('inventory', …)`); also re-emitted by the manager as 'inventory'. */
  get inventory(): InventoryEventStream {
    if (this.#inventory === null) throw notStarted()
    return this.#inventory
  }

  /** The latest model quote the ranges are planned from (null: centre on the pool price). */
  setModelQuote(quote: ModelQuote | null): void {
    this.#quote = quote
  }

  /**
   * The hedger's `suggestRange` hint as it emits it (`halfWidthBps` of price; null: none). Planned through
   * applyRangeHalfWidthHint, the function the backtester uses: the base's minimum half-width becomes
   * max(planner.minBaseHalfWidthTicks, ticks of the hint).
   */
  setRangeHalfWidthBps(halfWidthBps: number | null): void {
    if (halfWidthBps !== null && !(Number.isFinite(halfWidthBps) && halfWidthBps > 0))
      throw new InvalidParameterError({
        field: 'halfWidthBps',
        value: halfWidthBps,
        rule: 'a finite number > 0 or null',
      })
    this.#rangeHint = halfWidthBps === null ? null : { bps: halfWidthBps }
  }

  /** The same hint already in ticks (the base's minimum half-width, max with the planner's own); null: none. */
  setRangeHalfWidthTicks(halfWidthTicks: number | null): void {
    if (halfWidthTicks !== null && !(Number.isInteger(halfWidthTicks) && halfWidthTicks >= 0))
      throw new InvalidParameterError({
        field: 'halfWidthTicks',
        value: halfWidthTicks,
        rule: 'a non-negative integer or null',
      })
    this.#rangeHint = halfWidthTicks === null ? null : { ticks: halfWidthTicks }
  }

  /**
   * Starts: (1) the write side resumes or reconciles its persisted plan, before anything else; (2) the checkpoint is
   * loaded, or, without one, our positions are discovered on the chain at head − confirmations and the PnL baseline
   * is written (each open position as a deposit of its current principal at the current price); (3) one step.
   */
  async start(): Promise<LpManagerStepReport> {
    const o = this.#o
    const resumed = o.executor !== null ? await o.executor.resume() : null
    // The baseline or the checkpoint below may predate the plan's transactions: the first step does not decide.
    if (resumed !== null && resumed !== undefined) this.#resumedPlanPending = true
    this.#reader = await createBatchReader({ rpc: o.rpc, multicall3: o.multicall3 })
    this.#pool = await this.#readPool()
    const pool = this.#pool
    this.#inventory = new InventoryEventStream({
      source: `uniswap-v3:${await this.#chainId()}:${pool.address}`,
      decimals0: pool.decimals0,
      decimals1: pool.decimals1,
      baseToken: o.baseToken,
      targetBaseShare: this.#targetBaseShare(),
    })
    this.#inventory.on('inventory', (u) => this.emit('inventory', u))
    const saved = o.checkpoint === undefined ? null : await o.checkpoint.load()
    if (saved !== null) this.#restore(saved)
    else await this.#baseline()
    // A plan the last run left behind and resume() finished: its 'executed' (from the checkpoint's in-flight request).
    await this.#reportResumed(resumed)
    return this.step()
  }

  /**
   * One cycle: sync confirmed blocks (rolling back on a reorg), refresh the holdings when a relevant log arrived,
   * publish the inventory when it changed, decide, and execute a rebalance when the policy says so.
   */
  async step(): Promise<LpManagerStepReport> {
    if (this.#ledger === null || this.#pool === null) throw notStarted()
    const ctx = this.#ledgerContext()
    // Everything is read into locals first and committed together: a step that fails anywhere (sync or holdings)
    // leaves the manager exactly as it was, and the next step redoes the work.
    let ledger = this.#ledger
    let reorg: LpManagerStepReport['reorg'] = null
    const reorgs: NonNullable<LpManagerStepReport['reorg']>[] = []
    let logs = 0
    for (let i = 0; i < 1000; i++) {
      const r = await syncChain({
        ledger,
        source: this.#source,
        ctx,
        confirmations: this.#o.confirmations,
        maxBlockRange: this.#o.maxBlockRange ?? 500,
      })
      ledger = r.ledger
      logs += r.logs
      if (r.reorg !== null) {
        reorg = r.reorg
        reorgs.push(r.reorg)
      }
      if (r.behind === 0) break
    }
    const head = ledgerHead(ledger)
    let holdings = this.#holdings
    const prefetched = this.#prefetched
    const refreshed =
      holdings === null ||
      logs > 0 ||
      reorg !== null ||
      holdings.blockNumber > head.number ||
      // Read before a plan resume() finished: read again once the follower is past the plan's blocks.
      (holdings.blockNumber < this.#holdingsStaleBelow && head.number >= this.#holdingsStaleBelow)
    if (refreshed) {
      holdings =
        prefetched !== null && prefetched.blockNumber === head.number && logs === 0 && reorg === null
          ? prefetched
          : await this.#readHoldings(
              head.number,
              head.state.tokenIds.map((id) => BigInt(id)),
            )
    }
    // Commit.
    const previous = this.#holdings
    this.#ledger = ledger
    this.#holdings = holdings
    this.#prefetched = null
    for (const r of reorgs) this.emit('reorg', r)
    let published: InventoryUpdate | null = null
    if (refreshed && holdingsChanged(previous, holdings!)) {
      this.emit('holdings', holdings!)
      published = this.#publish(holdings!)
    }
    const current = holdings!
    const nowMs = this.#nowMs()
    this.#sampleFees(current, head.state, nowMs)
    let decision: RebalanceDecision | null = null
    let executed: LpRebalanceRequest | null = null
    const executor = this.#o.executor
    if (executor !== null && this.#resumeNeeded && !this.#stopped) {
      // The last execute() threw: let the write side finish or reconcile its plan before anything new.
      const resumed = await executor.resume()
      this.#resumeNeeded = false
      if (resumed !== null && resumed !== undefined) this.#resumedPlanPending = true
      await this.#reportResumed(resumed)
    }
    // A plan resume() finished or advanced (here or in start()) changed the chain after this step's reads: this step
    // ends without deciding; decisions wait for holdings read at or after the chain's head after it.
    const resumedPlan = this.#resumedPlanPending
    if (resumedPlan) await this.#afterResumedPlan()
    const fresh = current.blockNumber >= this.#holdingsStaleBelow && head.number >= this.#decideAfterBlock
    // Heartbeat: unchanged holdings, checked against the chain this step, go out again once the last update is
    // inventoryHeartbeatMs old, so the hedger can tell "nothing changed" from "the LP side stopped" (its
    // hedge.lpInventoryStaleAfterMs halt). Never holdings read before a resumed plan finished.
    const heartbeatMs = this.#o.inventoryHeartbeatMs ?? DEFAULT_INVENTORY_HEARTBEAT_MS
    const lastTsMs = this.#lastInventory?.tsMs
    if (
      published === null &&
      !resumedPlan &&
      current.blockNumber >= this.#holdingsStaleBelow &&
      lastTsMs !== undefined &&
      nowMs - lastTsMs >= heartbeatMs
    )
      published = this.#publish(current)
    if (executor !== null && !resumedPlan && fresh && !this.#stopped) {
      const gasCostUsd = await this.#estimateGasCostUsd(current)
      const r = decideLpAction({
        nowMs,
        holdings: current,
        baseRange: pickBaseRange(current),
        feePips: this.#pool.feePips,
        orientation: this.#orientation(),
        targetBaseShare: this.#targetBaseShare(),
        policyState: this.#policyState,
        policyConfig: this.#o.policy,
        planner: this.#o.planner,
        quote: this.#quote,
        rangeHalfWidthHint: this.#rangeHint,
        expectedGainUsd: estimateExpectedGainUsd(this.#feeSamples, nowMs),
        gasCostUsd,
      })
      decision = r.decision
      this.#lastDecision = r.decision
      const policyBefore = this.#policyState
      this.#policyState = r.decision.nextState
      this.emit('decision', r.decision, r.request)
      if (r.request !== null) {
        this.#inFlight = { request: r.request, holdings: current, decidedAtBlock: head.number }
        await this.#saveCheckpoint()
        let result: unknown
        try {
          result = await executor.execute(r.request)
        } catch (error) {
          // Not executed (or not completely): the policy did not rebalance; resume() runs before the next decision.
          this.#policyState = policyBefore
          this.#resumeNeeded = true
          throw error
        }
        executed = r.request
        await this.#reportExecuted(this.#inFlight, result)
      }
    }
    await this.#saveCheckpoint()
    return { processedBlock: head.number, reorg, logs, refreshed, published, decision, executed }
  }

  /** Calls step() every `intervalMs` until stop(); a failed step is reported as 'error' and retried next time. */
  async run(p: { intervalMs: number }): Promise<void> {
    this.#stopped = false
    while (!this.#stopped) {
      try {
        await this.step()
      } catch (error) {
        this.emit('error', error)
      }
      if (!this.#stopped) await new Promise((resolve) => setTimeout(resolve, p.intervalMs))
    }
  }

  /** Ends run() after the current step. */
  stop(): void {
    this.#stopped = true
  }

  snapshot(): LpManagerSnapshot {
    if (this.#ledger === null) throw notStarted()
    const head = ledgerHead(this.#ledger)
    const h = this.#holdings
    const base = h === null ? null : pickBaseRange(h)
    const ranges: LpManagerRange[] = (h?.positions ?? []).map((q) => ({
      tokenId: q.tokenId,
      tickLower: q.tickLower,
      tickUpper: q.tickUpper,
      liquidity: q.liquidity,
      role:
        base !== null && q.liquidity > 0n && q.tickLower === base.tickLower && q.tickUpper === base.tickUpper
          ? 'base'
          : this.#lastMints.some(
                (m) => m.role === 'limit' && m.tickLower === q.tickLower && m.tickUpper === q.tickUpper,
              )
            ? 'limit'
            : 'other',
    }))
    return {
      lastProcessedBlock: head.number,
      lastProcessedHash: head.hash,
      holdings: h,
      ranges,
      uncollectedFees: { amount0Raw: h?.fees0Raw ?? 0n, amount1Raw: h?.fees1Raw ?? 0n },
      pnl: h === null ? null : this.#pnlSnapshot(h, head.state),
      feesCollected: { amount0Raw: head.state.feesCollected0Raw, amount1Raw: head.state.feesCollected1Raw },
      gasPaidWei: head.state.gasPaidWei,
      poolLogs: head.state.poolLogs,
      swaps: head.state.swaps,
      lastDecision: this.#lastDecision,
      pendingPlan: this.#o.executor?.pendingPlan?.() ?? null,
      modelQuote: this.#quote,
      rangeHalfWidthHint: this.#rangeHint,
      readMode: this.#reader?.mode ?? 'individual',
      ethCalls: this.#reader?.rpcCalls ?? 0,
      lastInventory: this.#lastInventory,
      lastExecution: this.#lastExecution === null ? null : withoutResult(this.#lastExecution),
    }
  }

  // ---- internals ----

  #targetBaseShare(): number {
    return this.#o.targetBaseShare ?? 0.5
  }

  #orientation(): PriceOrientation {
    const pool = this.#pool!
    return { baseToken: this.#o.baseToken, decimals0: pool.decimals0, decimals1: pool.decimals1 }
  }

  #usdPricesAt(sqrtPriceX96: bigint): UsdPrices {
    if (this.#o.usdPricesAt !== undefined) return this.#o.usdPricesAt(sqrtPriceX96)
    const price = formatSqrtPriceX96(sqrtPriceX96, this.#orientation(), 8)
    const basePrice = /^0(\.0*)?$/.test(price) ? '0.00000001' : price
    return this.#o.baseToken === 'token0' ? { token0: basePrice, token1: '1' } : { token0: '1', token1: basePrice }
  }

  #nativeUsdPriceAt(sqrtPriceX96: bigint): string {
    if (this.#o.nativeUsdPriceAt !== undefined) return this.#o.nativeUsdPriceAt(sqrtPriceX96)
    const prices = this.#usdPricesAt(sqrtPriceX96)
    return this.#o.baseToken === 'token0' ? prices.token0 : prices.token1
  }

  #ledgerContext(): LedgerContext {
    return {
      pool: this.#pool!.address,
      positionManager: this.#o.positionManager,
      owner: this.#o.owner,
      usdPricesAt: (s) => this.#usdPricesAt(s),
      nativeUsdPriceAt: (s) => this.#nativeUsdPriceAt(s),
    }
  }

  async #chainId(): Promise<number> {
    const r = await this.#o.rpc.request('eth_chainId', [])
    if (typeof r !== 'string') throw new RpcReadError({ method: 'eth_chainId', reason: 'not a hex quantity' })
    return Number(BigInt(r))
  }

  async #readPool(): Promise<PoolInfo> {
    const reader = this.#reader!
    const block = await this.#source.getBlockNumber()
    const address = this.#o.pool.toLowerCase()
    const calls = ['token0', 'token1', 'fee'].map((fn) => ({
      target: address,
      data: poolInterface.encodeFunctionData(fn, []),
    }))
    const r = await reader.read(calls, block)
    if (r.some((x) => !x.success)) throw new RpcReadError({ method: 'eth_call', reason: `${address} is not a v3 pool` })
    const token0 = String(poolInterface.decodeFunctionResult('token0', r[0]!.returnData)[0]).toLowerCase()
    const token1 = String(poolInterface.decodeFunctionResult('token1', r[1]!.returnData)[0]).toLowerCase()
    const feePips = Number(poolInterface.decodeFunctionResult('fee', r[2]!.returnData)[0])
    const d = await reader.read(
      [token0, token1].map((t) => ({ target: t, data: erc20Interface.encodeFunctionData('decimals', []) })),
      block,
    )
    const decimals = d.map((x) => Number(erc20Interface.decodeFunctionResult('decimals', x.returnData)[0]))
    return { address, token0, token1, feePips, decimals0: decimals[0]!, decimals1: decimals[1]! }
  }

  async #readHoldings(blockNumber: number, tokenIds: readonly bigint[]): Promise<Holdings> {
    return computeHoldings(
      await readChainHoldings({
        reader: this.#reader!,
        blockNumber,
        pool: this.#pool!,
        positionManager: this.#o.positionManager,
        owner: this.#o.owner,
        tokenIds,
      }),
    )
  }

  async #baseline(): Promise<void> {
    const o = this.#o
    const target = Math.max(0, (await this.#source.getBlockNumber()) - o.confirmations)
    const header = await this.#source.getBlockHeader(target)
    if (header === null) throw new RpcReadError({ method: 'eth_getBlockByNumber', reason: `no block ${target}` })
    const tokenIds =
      o.discoverTokenIds !== undefined
        ? [...(await o.discoverTokenIds({ blockNumber: target }))]
        : await enumerateOwnedTokenIds({
            reader: this.#reader!,
            blockNumber: target,
            positionManager: o.positionManager,
            owner: o.owner,
          })
    const holdings = await this.#readHoldings(target, tokenIds)
    const prices = this.#usdPricesAt(holdings.sqrtPriceX96)
    let pnl = createPnlState({ decimals0: this.#pool!.decimals0, decimals1: this.#pool!.decimals1 })
    for (const q of holdings.positions) {
      if (q.liquidity === 0n) continue
      pnl = applyPnlEvent(pnl, {
        type: 'deposit',
        positionId: q.tokenId,
        tsMs: header.timestampSec * 1000,
        liquidity: q.liquidity,
        amount0Raw: q.amount0Raw,
        amount1Raw: q.amount1Raw,
        prices,
      })
    }
    const state: LedgerState = {
      tokenIds: holdings.positions.map((q) => q.tokenId),
      principalOwed: {},
      pnl,
      feesCollected0Raw: 0n,
      feesCollected1Raw: 0n,
      gasPaidWei: 0n,
      poolLogs: 0,
      swaps: 0,
      sqrtPriceX96: holdings.sqrtPriceX96,
      anomalies: 0,
    }
    this.#ledger = createLedger({ number: target, hash: header.hash, state }, o.reorgWindowBlocks ?? 256)
    this.#holdings = null
    this.#prefetched = holdings
  }

  #restore(text: string): void {
    let saved: {
      version: number
      ledger: Ledger
      policyState: RebalancePolicyState
      feeSamples: FeeSample[]
      inFlight?: InFlightExecution | null
      emittedPlanIds?: string[]
    }
    try {
      saved = parseLedger(text)
    } catch (cause) {
      throw new LpManagerStateError({
        reason: 'the checkpoint is not JSON',
        next: 'delete it to rebuild from the chain.',
        cause,
      })
    }
    if (saved.version !== CHECKPOINT_VERSION)
      throw new LpManagerStateError({
        reason: `unknown checkpoint version ${String(saved.version)}`,
        next: 'delete it to rebuild from the chain.',
      })
    this.#ledger = saved.ledger
    this.#policyState = saved.policyState
    this.#feeSamples = saved.feeSamples
    this.#inFlight = saved.inFlight ?? null
    this.#emittedPlanIds = saved.emittedPlanIds ?? []
  }

  async #saveCheckpoint(): Promise<void> {
    if (this.#o.checkpoint === undefined || this.#ledger === null) return
    await this.#o.checkpoint.save(
      serializeLedger({
        version: CHECKPOINT_VERSION,
        ledger: this.#ledger,
        policyState: this.#policyState,
        feeSamples: this.#feeSamples,
        inFlight: this.#inFlight,
        emittedPlanIds: this.#emittedPlanIds,
      }),
    )
  }

  /**
   * What resume() returned: a finished plan (a RebalancePlanResult) is reported as 'executed' once, with the request
   * it was planned from (kept in memory, or in the checkpoint across a restart). Without that request (a restart with
   * no checkpoint store) it cannot be described: 'error' reports the plan id instead.
   */
  async #reportResumed(result: unknown): Promise<void> {
    const id = planIdOf(result)
    if (id === null) {
      // No plan was left: the in-flight request (a rejected execute()) sent nothing.
      this.#inFlight = null
      return
    }
    if (this.#emittedPlanIds.includes(id)) return
    await this.#reportExecuted(this.#inFlight, result)
  }

  /**
   * After resume() returned a plan (anything but null/undefined): every transaction of it is at or below the chain's
   * head now. No decision until the follower has processed that head (+ confirmations, as after an execution), and
   * only on holdings read at or after it (older ones are read again). If this read fails, the next step retries it.
   */
  async #afterResumedPlan(): Promise<void> {
    const chainHead = await this.#source.getBlockNumber()
    this.#holdingsStaleBelow = Math.max(this.#holdingsStaleBelow, chainHead)
    this.#decideAfterBlock = Math.max(this.#decideAfterBlock, chainHead + this.#o.confirmations)
    this.#resumedPlanPending = false
  }

  /** Builds and emits 'executed' for a completed plan, once per plan id, then clears the in-flight request. */
  async #reportExecuted(inFlight: InFlightExecution | null, result: unknown): Promise<void> {
    const id = planIdOf(result)
    this.#inFlight = null
    if (id !== null && this.#emittedPlanIds.includes(id)) return
    if (inFlight === null) {
      if (id !== null)
        this.emit(
          'error',
          new LpManagerStateError({
            reason: `plan ${id} was finished by resume() but its request is unknown (no checkpoint held it)`,
            next: 'configure a checkpoint store so that a restart can report the plan it finishes.',
          }),
        )
      return
    }
    const { request } = inFlight
    this.#lastMints = request.mints
    const execution = await describeExecution({
      request,
      result,
      holdings: inFlight.holdings,
      decidedAtBlock: inFlight.decidedAtBlock,
      tsMs: this.#nowMs(),
      source: this.#source,
    })
    if (id !== null) this.#emittedPlanIds = [...this.#emittedPlanIds, id].slice(-64)
    this.#lastExecution = execution
    this.emit('executed', execution)
    // Decide again only on holdings that include the rebalance's blocks.
    this.#decideAfterBlock = (await this.#source.getBlockNumber()) + this.#o.confirmations
  }

  #publish(holdings: Holdings): InventoryUpdate {
    const update = this.#inventory!.publish({
      tsMs: this.#nowMs(),
      amount0Raw: holdings.total0Raw,
      amount1Raw: holdings.total1Raw,
      sqrtPriceX96: holdings.sqrtPriceX96,
      prices: this.#usdPricesAt(holdings.sqrtPriceX96),
    })
    this.#lastInventory = update
    return update
  }

  #usd(amount0Raw: bigint, amount1Raw: bigint, prices: UsdPrices): number {
    return valueInUsd({
      amount0Raw,
      amount1Raw,
      decimals0: this.#pool!.decimals0,
      decimals1: this.#pool!.decimals1,
      prices,
      usdDecimals: 18,
    }).usdNumber
  }

  #sampleFees(holdings: Holdings, state: LedgerState, nowMs: number): void {
    const prices = this.#usdPricesAt(holdings.sqrtPriceX96)
    const feesUsd = state.pnl.feesRealizedUsd + this.#usd(holdings.fees0Raw, holdings.fees1Raw, prices)
    const last = this.#feeSamples[this.#feeSamples.length - 1]
    if (last !== undefined && nowMs < last.tsMs) return
    this.#feeSamples = pruneFeeSamples([...this.#feeSamples, { tsMs: nowMs, feesUsd }], nowMs)
  }

  async #estimateGasCostUsd(holdings: Holdings): Promise<number> {
    const g = this.#o.gasUsed ?? DEFAULT_GAS_USED
    const units = holdings.positions.length * (g.burn + g.collect) + 2 * g.mint
    let gasPrice: bigint
    if (this.#o.gasPriceWei !== undefined) gasPrice = await this.#o.gasPriceWei()
    else {
      const r = await this.#o.rpc.request('eth_gasPrice', [])
      if (typeof r !== 'string' || !/^0x[0-9a-fA-F]+$/.test(r))
        throw new RpcReadError({ method: 'eth_gasPrice', reason: 'not a hex quantity' })
      gasPrice = BigInt(r)
    }
    const wei = BigInt(units) * gasPrice
    return valueInUsd({
      amount0Raw: wei,
      amount1Raw: 0n,
      decimals0: 18,
      decimals1: 0,
      prices: { token0: this.#nativeUsdPriceAt(holdings.sqrtPriceX96), token1: '1' },
      usdDecimals: 18,
    }).usdNumber
  }

  #pnlSnapshot(h: Holdings, state: LedgerState): PnlSnapshot {
    const prices = this.#usdPricesAt(h.sqrtPriceX96)
    const positions: Record<string, PnlMarks['positions'][string]> = {}
    for (const id of Object.keys(state.pnl.positions))
      positions[id] = { amount0Raw: 0n, amount1Raw: 0n, fees0Raw: 0n, fees1Raw: 0n }
    for (const q of h.positions)
      positions[q.tokenId] = {
        amount0Raw: q.amount0Raw,
        amount1Raw: q.amount1Raw,
        fees0Raw: q.fees0Raw,
        fees1Raw: q.fees1Raw,
      }
    return getPnlSnapshot(state.pnl, { prices, positions })
  }
}

function withoutResult(execution: LpRebalanceExecution): Omit<LpRebalanceExecution, 'result'> {
  const { result: _, ...rest } = execution
  return rest
}

/** A request handed to execute(), with the holdings and block it was decided on. */
type InFlightExecution = { request: LpRebalanceRequest; holdings: Holdings; decidedAtBlock: number }

/** The plan id of a RebalancePlanResult-like value (what the plan executor's execute() and resume() return), else null. */
function planIdOf(result: unknown): string | null {
  if (result === null || typeof result !== 'object') return null
  const plan = (result as { plan?: unknown }).plan
  if (plan === null || typeof plan !== 'object') return null
  const id = (plan as { id?: unknown }).id
  return typeof id === 'string' ? id : null
}

function notStarted(): LpManagerStateError {
  return new LpManagerStateError({ reason: 'not started', next: 'await manager.start() first.' })
}
