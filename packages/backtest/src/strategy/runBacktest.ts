import {
  createHedger,
  type HedgerCommand,
  type HedgerEvent,
  type HedgerState,
  inventoryUpdateToEvent,
  step,
} from '@alp/hedger'
import { computeAsQuote } from '@alp/models'
import {
  applyRangeHalfWidthHint,
  computeInventoryDeviation,
  createInventoryUpdate,
  createRebalancePolicyState,
  decideRebalance,
  fromSeedConfig,
  getAmountsForLiquidity,
  getFeeGrowthInside,
  getTokensOwed,
  modelQuoteFromAs,
  type PriceOrientation,
  planRanges,
  type RebalancePolicyState,
  sqrtPriceX96ToPrice,
  tickToPrice,
} from '@alp/uniswap-lp'
import { loadGasPriceSeries } from '../config/loadGasPriceSeries.js'
import { resolveModels } from '../config/resolveModels.js'
import type { RunConfig } from '../config/runConfig.js'
import { readKlineBatches } from '../data/readKlines.js'
import { readPoolLogEventBatches } from '../data/readPoolLogEvents.js'
import type { KlineEvent, PoolLogEvent } from '../data/types.js'
import { computeEquityStatistics } from '../engine/computeEquityStatistics.js'
import { createResultSeries } from '../engine/createResultSeries.js'
import { EventQueue } from '../engine/eventQueue.js'
import { mergeSourceBatches } from '../engine/mergeSourceBatches.js'
import { createSimClock, type SimClock } from '../engine/simClock.js'
import { InvalidConfigError } from '../errors/config.js'
import type { RestingOrder } from '../fills/types.js'
import type { PoolSimulator } from '../pool/poolSimulator.js'
import { sqrtRatioAtTickCached } from '../pool/sqrtRatioAtTickCached.js'
import { PoolReplay } from '../replay/poolReplay.js'
import { type BacktestResults, RESULTS_SCHEMA_VERSION, type ResultSeries } from '../report/resultsTypes.js'
import { decimalToTicks, ticksToDecimal } from './decimalToTicks.js'

/** Our own positions' owner id inside the simulated pool. */
export const STRATEGY_OWNER = 'alp-strategy'

export type RunBacktestParameters = {
  config: RunConfig
  /** Called after each processed event with the count so far (progress bars). */
  onProgress?: ((processed: number) => void) | undefined
  /** Wall-clock reader for the performance block only (the run itself never reads a clock). */
  nowMs?: (() => number) | undefined
  /** The simulation clock (injected; default: a new SimClock at 0). The engine advances it to each event's time. */
  clock?: SimClock | undefined
}

type OpenPosition = { kind: 'base' | 'limit'; tickLower: number; tickUpper: number; liquidity: bigint }

const MAX_UINT128 = (1n << 128n) - 1n

/**
 * Runs the two-venue strategy on recorded data: the exact pool replay with our positions inserted, the uniswap-lp
 * planner and rebalance policy and the @alp/hedger core (all unchanged), a simulated hedge venue with the configured
 * fill, exchange, fee and latency models, and gas per operation. Deterministic: the same config gives the same results
 * (apart from `performance`).
 */
export async function runBacktest({
  config,
  onProgress,
  nowMs,
  clock: injectedClock,
}: RunBacktestParameters): Promise<BacktestResults> {
  const gasModel = config.models.gas
  const models = resolveModels(
    config,
    gasModel?.kind === 'series' ? await loadGasPriceSeries(gasModel.file) : undefined,
  )
  const wallStart = nowMs?.() ?? 0
  const orientation: PriceOrientation = {
    baseToken: config.pool.baseToken,
    decimals0: config.pool.decimals0,
    decimals1: config.pool.decimals1,
  }
  const seed = fromSeedConfig(config.lp.seed, { minIntervalMs: config.lp.minIntervalMs })
  const rangeWidthFromVolatility = config.lp.rangeWidthFromVolatility ?? true
  /** The hedger's last volatility-driven range half-width (its `suggestRange` command), bps; null until its first. */
  let rangeHalfWidthBps: number | null = null
  if (seed.feePips !== config.pool.feePips) {
    throw new InvalidConfigError({
      field: 'lp.seed.FEE_TIER',
      value: String(config.lp.seed.FEE_TIER),
      rule: `equal to pool.feePips ${config.pool.feePips}`,
    })
  }
  const venueName = config.venue.name
  const { tickSize, stepSize } = config.venue
  const baseIs1 = config.pool.baseToken === 'token1'
  const baseDecimals = baseIs1 ? config.pool.decimals1 : config.pool.decimals0
  const quoteDecimals = baseIs1 ? config.pool.decimals0 : config.pool.decimals1
  const baseScale = 10 ** baseDecimals
  const quoteScale = 10 ** quoteDecimals
  const toBase = (amount0: bigint, amount1: bigint) => Number(baseIs1 ? amount1 : amount0) / baseScale
  const toQuote = (amount0: bigint, amount1: bigint) => Number(baseIs1 ? amount0 : amount1) / quoteScale
  const valueUsd = (amount0: bigint, amount1: bigint, price: number) =>
    toQuote(amount0, amount1) + toBase(amount0, amount1) * price

  let replay: PoolReplay | undefined
  const pool = (): PoolSimulator => replay!.pool
  let hedger: HedgerState = createHedger(config.hedger)
  const clock = injectedClock ?? createSimClock(0n)
  const queue = new EventQueue<HedgerEvent>()

  let balance0 = BigInt(config.lp.initialAmount0Raw)
  let balance1 = BigInt(config.lp.initialAmount1Raw)
  const initial0 = balance0
  const initial1 = balance1
  /** The one inventory target (the live LP manager's `targetBaseShare`): share of the value held in base. */
  const targetBaseShare = config.lp.targetBaseShare ?? 0.5
  let inventorySeq = 0
  /**
   * The live manager's inventory payload for holdings at the pool price (@alp/uniswap-lp `createInventoryUpdate`, the
   * same function): `excessBase` = base held − targetBaseShare × total value in base, exact.
   */
  const inventoryOf = (amount0Raw: bigint, amount1Raw: bigint, tsMs: number, price: number) =>
    createInventoryUpdate({
      source: 'backtest',
      seq: ++inventorySeq,
      tsMs,
      decimals0: config.pool.decimals0,
      decimals1: config.pool.decimals1,
      baseToken: config.pool.baseToken,
      targetBaseShare,
      amount0Raw,
      amount1Raw,
      sqrtPriceX96: pool().slot0.sqrtPriceX96,
      prices: baseIs1 ? { token0: '1', token1: price.toFixed(6) } : { token0: price.toFixed(6), token1: '1' },
    })
  let positions: OpenPosition[] = []
  let policyState: RebalancePolicyState = createRebalancePolicyState()
  const resting = new Map<string, RestingOrder & { cancelAtNs: bigint | null }>()
  let hedgeLots = 0
  let hedgeCashQuote = 0
  let feesUsd = 0
  let gasUsd = 0
  let gasUsedTotal = 0
  let fees0 = 0n
  let fees1 = 0n
  let poolEvents = 0
  let klines = 0
  let processed = 0
  let startMs = 0
  let endMs = 0
  let lastKline: KlineEvent | undefined
  const trades: BacktestResults['trades'] = []
  const rebalances: BacktestResults['rebalances'] = []
  const feeHistory: number[] = [] // fees USD earned per minute (trailing window for the policy's expected gain)
  let lastFeesUsdMark = 0
  const series: ResultSeries = createResultSeries()
  let inRangeMinutes = 0

  const tickPrices = new Map<number, number>()
  const priceAtTick = (tick: number): number => {
    let price = tickPrices.get(tick)
    if (price === undefined) {
      price = tickToPrice(tick, orientation)
      tickPrices.set(tick, price)
    }
    return price
  }
  const poolPrice = () => sqrtPriceX96ToPrice(pool().slot0.sqrtPriceX96, orientation)
  const gasCostUsd = (gasUsed: number, price: number) =>
    (Number(BigInt(gasUsed) * models.gasPriceWeiAt(clock.nowNs())) / 1e18) * price

  /** Fees owed to one of our positions now, from the pool's fee growth (uniswap-lp math, independent of burn/collect). */
  const feesFromGrowth = (p: OpenPosition) => {
    const sim = pool()
    const info = sim.getPosition(STRATEGY_OWNER, p.tickLower, p.tickUpper)
    const inside = getFeeGrowthInside({
      tickLower: p.tickLower,
      tickUpper: p.tickUpper,
      tickCurrent: sim.slot0.tick,
      feeGrowthGlobal0X128: sim.feeGrowthGlobal0X128,
      feeGrowthGlobal1X128: sim.feeGrowthGlobal1X128,
      lower: sim.getTick(p.tickLower),
      upper: sim.getTick(p.tickUpper),
    })
    return {
      fees0:
        info.tokensOwed0 + getTokensOwed(info.liquidity, inside.feeGrowthInside0X128, info.feeGrowthInside0LastX128),
      fees1:
        info.tokensOwed1 + getTokensOwed(info.liquidity, inside.feeGrowthInside1X128, info.feeGrowthInside1LastX128),
    }
  }

  // lpHoldings is a pure function of the pool, our positions and balances: `lpStateVersion` counts their changes (each
  // replayed pool event, each close and open), so the up to three reads per minute with nothing in between share one
  // computation. The cached record is never mutated by callers.
  let lpStateVersion = 0
  let holdingsVersion = -1
  let holdingsCache = { amount0: 0n, amount1: 0n, fees0: 0n, fees1: 0n }
  const lpHoldings = () => {
    if (holdingsVersion === lpStateVersion) return holdingsCache
    holdingsCache = computeLpHoldings()
    holdingsVersion = lpStateVersion
    return holdingsCache
  }
  const computeLpHoldings = () => {
    const sim = pool()
    let a0 = balance0
    let a1 = balance1
    let f0 = 0n
    let f1 = 0n
    for (const p of positions) {
      const amounts = getAmountsForLiquidity(
        sim.slot0.sqrtPriceX96,
        sqrtRatioAtTickCached(p.tickLower),
        sqrtRatioAtTickCached(p.tickUpper),
        p.liquidity,
      )
      const owed = feesFromGrowth(p)
      a0 += amounts.amount0
      a1 += amounts.amount1
      f0 += owed.fees0
      f1 += owed.fees1
    }
    return { amount0: a0 + f0, amount1: a1 + f1, fees0: f0, fees1: f1 }
  }

  const closePositions = (
    price: number,
  ): { fees0: bigint; fees1: bigint; growth0: bigint; growth1: bigint; gasUsed: number } => {
    const sim = pool()
    let c0 = 0n
    let c1 = 0n
    let g0 = 0n
    let g1 = 0n
    let gasUsed = 0
    for (const p of positions) {
      const owed = feesFromGrowth(p)
      g0 += owed.fees0
      g1 += owed.fees1
      const burned = sim.burn(STRATEGY_OWNER, p.tickLower, p.tickUpper, p.liquidity)
      const collected = sim.collect(STRATEGY_OWNER, p.tickLower, p.tickUpper, MAX_UINT128, MAX_UINT128)
      balance0 += collected.amount0
      balance1 += collected.amount1
      c0 += collected.amount0 - burned.amount0
      c1 += collected.amount1 - burned.amount1
      gasUsed += config.gasUsed.burn + config.gasUsed.collect
    }
    positions = []
    lpStateVersion++
    fees0 += c0
    fees1 += c1
    feesUsd += valueUsd(c0, c1, price)
    return { fees0: c0, fees1: c1, growth0: g0, growth1: g1, gasUsed }
  }

  const openPositions = (tsNs: bigint): { base: OpenPosition; limit: OpenPosition | null; gasUsed: number } => {
    const sim = pool()
    const price = poolPrice()
    const m = config.lp.model
    // The AS quote's inventory: the base held beyond the one target (the live manager's excessBase).
    const q = Number(inventoryOf(balance0, balance1, Number(tsNs / 1_000_000n), price).excessBase)
    const as = computeAsQuote({
      gammaPerPrice: m.gammaPerPrice,
      sigmaPerSqrtTime: m.sigmaPerSqrtSec,
      kPerPrice: m.kPerPrice,
      midPrice: price,
      q,
      timeToHorizon: m.horizonSec,
    })
    const plan = planRanges({
      quote: modelQuoteFromAs(price, as),
      pool: { sqrtPriceX96: sim.slot0.sqrtPriceX96, tick: sim.slot0.tick, feePips: sim.feePips },
      orientation,
      balances: { amount0Raw: balance0, amount1Raw: balance1 },
      config: applyRangeHalfWidthHint(seed.planner, rangeWidthFromVolatility ? rangeHalfWidthBps : null),
      inventoryTarget: { baseShare: targetBaseShare },
    })
    let gasUsed = 0
    const mint = (
      kind: 'base' | 'limit',
      tickLower: number,
      tickUpper: number,
      liquidity: bigint,
    ): OpenPosition | null => {
      if (liquidity <= 0n) return null
      const r = sim.mint(STRATEGY_OWNER, tickLower, tickUpper, liquidity)
      if (r.amount0 > balance0 || r.amount1 > balance1) {
        throw new InvalidConfigError({
          field: 'lp.planner',
          value: `${kind} [${tickLower}, ${tickUpper})`,
          rule: `the planned position needs more than the balances at ${tsNs}`,
        })
      }
      balance0 -= r.amount0
      balance1 -= r.amount1
      lpStateVersion++
      gasUsed += config.gasUsed.mint
      const position = { kind, tickLower, tickUpper, liquidity }
      positions.push(position)
      return position
    }
    const base = mint('base', plan.base.tickLower, plan.base.tickUpper, plan.base.liquidity)
    const limit = plan.limit ? mint('limit', plan.limit.tickLower, plan.limit.tickUpper, plan.limit.liquidity) : null
    if (base === null)
      throw new InvalidConfigError({
        field: 'lp.initialAmount',
        value: `${balance0}/${balance1}`,
        rule: 'enough to fund the base range',
      })
    return { base, limit, gasUsed }
  }

  const deliver = (event: HedgerEvent) => {
    const result = step(hedger, event)
    hedger = result.state
    for (const command of result.commands) handleCommand(command)
  }

  const handleCommand = (command: HedgerCommand) => {
    if (command.type === 'suggestRange') {
      rangeHalfWidthBps = command.halfWidthBps
      return
    }
    if (!('venue' in command) || command.venue !== venueName) return
    const liveAt = clock.nowNs() + models.latency.entryNs(clock.nowNs())
    switch (command.type) {
      case 'placeOrder':
        resting.set(command.clientOrderId, {
          clientOrderId: command.clientOrderId,
          side: command.side,
          priceTicks: command.priceTicks,
          sizeLots: command.sizeLots,
          filledLots: 0,
          liveFromNs: liveAt,
          cancelAtNs: null,
        })
        queue.push(liveAt + models.latency.responseNs(liveAt), {
          type: 'orderUpdate',
          tsNs: liveAt + models.latency.responseNs(liveAt),
          venue: venueName,
          clientOrderId: command.clientOrderId,
          side: command.side,
          priceTicks: command.priceTicks,
          sizeLots: command.sizeLots,
          filledLots: 0,
          status: 'new',
        })
        break
      case 'amendOrder': {
        const order = resting.get(command.clientOrderId)
        if (order === undefined) break
        resting.set(command.clientOrderId, {
          ...order,
          priceTicks: command.priceTicks,
          sizeLots: command.sizeLots,
          liveFromNs: liveAt,
        })
        break
      }
      case 'cancelOrder': {
        const order = resting.get(command.clientOrderId)
        if (order !== undefined) order.cancelAtNs = liveAt
        break
      }
      case 'cancelAll':
        for (const order of resting.values()) order.cancelAtNs = liveAt
        break
      default:
        break
    }
  }

  const fillOrders = (kline: KlineEvent) => {
    const bar = {
      openTimeNs: kline.openTimeNs,
      lowTicks: decimalToTicks(kline.low, tickSize),
      highTicks: decimalToTicks(kline.high, tickSize),
      volumeLots: decimalToTicks(kline.volumeBase, stepSize),
    }
    for (const order of [...resting.values()]) {
      if (order.cancelAtNs !== null && order.cancelAtNs <= bar.openTimeNs) {
        resting.delete(order.clientOrderId)
        const ackNs = order.cancelAtNs + models.latency.responseNs(order.cancelAtNs)
        // The cancel is acknowledged no earlier than now (the queue never goes back in time).
        // biome-ignore lint/complexity/useMathMinMax: bigint operands (Math.max takes numbers)
        const ts = ackNs > kline.tsNs ? ackNs : kline.tsNs
        queue.push(ts, {
          type: 'orderUpdate',
          tsNs: ts,
          venue: venueName,
          clientOrderId: order.clientOrderId,
          side: order.side,
          priceTicks: order.priceTicks,
          sizeLots: order.sizeLots,
          filledLots: order.filledLots,
          status: 'canceled',
        })
        continue
      }
      // Only bars that start after the order reached the venue can fill it.
      if (order.liveFromNs > bar.openTimeNs || !models.fill.isFilled(order, bar)) continue
      const lots = models.exchange.fillLots(order, bar)
      if (lots <= 0) continue
      order.filledLots += lots
      const feeQuote = models.fee.feeQuote({ priceTicks: order.priceTicks, sizeLots: lots, maker: true })
      const price = Number(ticksToDecimal(order.priceTicks, tickSize))
      const size = Number(ticksToDecimal(lots, stepSize))
      hedgeLots += order.side === 'buy' ? lots : -lots
      hedgeCashQuote += (order.side === 'buy' ? -price * size : price * size) - Number(feeQuote)
      const tsAck = kline.tsNs + models.latency.responseNs(kline.tsNs)
      trades.push({
        tsMs: Number(kline.tsNs / 1_000_000n),
        side: order.side,
        price: ticksToDecimal(order.priceTicks, tickSize),
        sizeBase: ticksToDecimal(lots, stepSize),
        feeQuote,
        clientOrderId: order.clientOrderId,
      })
      queue.push(tsAck, {
        type: 'fill',
        tsNs: tsAck,
        venue: venueName,
        clientOrderId: order.clientOrderId,
        tradeId: `t${trades.length}`,
        side: order.side,
        priceTicks: order.priceTicks,
        sizeLots: lots,
        feeQuote,
      })
      const done = order.filledLots >= order.sizeLots
      queue.push(tsAck, {
        type: 'orderUpdate',
        tsNs: tsAck,
        venue: venueName,
        clientOrderId: order.clientOrderId,
        side: order.side,
        priceTicks: order.priceTicks,
        sizeLots: order.sizeLots,
        filledLots: order.filledLots,
        status: done ? 'filled' : 'partiallyFilled',
      })
      if (done) resting.delete(order.clientOrderId)
    }
  }

  const onKline = (kline: KlineEvent) => {
    klines++
    lastKline = kline
    fillOrders(kline)
    const tsNs = kline.tsNs
    const nowMsValue = Number(tsNs / 1_000_000n)
    const price = poolPrice()
    const closeTicks = decimalToTicks(kline.close, tickSize)
    if (klines === 1) deliver({ type: 'venueHealth', tsNs, venue: venueName, status: 'connected' })
    deliver({
      type: 'bbo',
      tsNs,
      venue: venueName,
      bidPriceTicks: closeTicks - 1,
      bidSizeLots: 1_000_000,
      askPriceTicks: closeTicks + 1,
      askSizeLots: 1_000_000,
    })

    if (klines > config.lp.warmUpMinutes) {
      const sim = pool()
      const base = positions.find((p) => p.kind === 'base') ?? null
      const holdings = lpHoldings()
      // The live manager's deviation (decideLpAction): base value share − targetBaseShare of the total holdings.
      const inventoryDeviation = computeInventoryDeviation({
        amount0Raw: holdings.amount0,
        amount1Raw: holdings.amount1,
        sqrtPriceX96: sim.slot0.sqrtPriceX96,
        baseToken: config.pool.baseToken,
        targetBaseShare,
      }).deviation
      const trailing = feeHistory.slice(-60).reduce((a, b) => a + b, 0)
      const rebalanceGas = positions.length * (config.gasUsed.burn + config.gasUsed.collect) + 2 * config.gasUsed.mint
      const decision = decideRebalance({
        nowMs: nowMsValue,
        tick: sim.slot0.tick,
        position: base === null ? null : { tickLower: base.tickLower, tickUpper: base.tickUpper },
        inventoryDeviation,
        // Expected gain: trailing-hour fees extrapolated to a day (documented heuristic).
        expectedGainUsd: trailing * 24,
        gasCostUsd: gasCostUsd(rebalanceGas, price),
        state: policyState,
        config: seed.policy,
      })
      policyState = decision.nextState
      if (decision.action === 'rebalance') {
        const closed = closePositions(price)
        const opened = openPositions(tsNs)
        const gasUsed = closed.gasUsed + opened.gasUsed
        const cost = gasCostUsd(gasUsed, price)
        gasUsd += cost
        gasUsedTotal += gasUsed
        rebalances.push({
          tsMs: nowMsValue,
          reason: decision.reason,
          base: {
            tickLower: opened.base.tickLower,
            tickUpper: opened.base.tickUpper,
            liquidity: String(opened.base.liquidity),
          },
          rangeHalfWidthBps: rangeWidthFromVolatility ? rangeHalfWidthBps : null,
          limit: opened.limit
            ? {
                tickLower: opened.limit.tickLower,
                tickUpper: opened.limit.tickUpper,
                liquidity: String(opened.limit.liquidity),
              }
            : null,
          gasUsd: cost,
          fees0Raw: String(closed.fees0),
          fees1Raw: String(closed.fees1),
          feesFromGrowth0Raw: String(closed.growth0),
          feesFromGrowth1Raw: String(closed.growth1),
        })
      }
      // What the live trader receives: the manager's inventory update turned into lpInventory by the same adapter
      // (target = amount(base) − excessBase).
      const after = lpHoldings()
      deliver(inventoryUpdateToEvent(inventoryOf(after.amount0, after.amount1, nowMsValue, price), tsNs))
    }
    deliver({ type: 'timer', tsNs })
    sample(kline, price)
  }

  const sample = (kline: KlineEvent, price: number) => {
    const venuePrice = Number(kline.close)
    const holdings = lpHoldings()
    const uncollectedUsd = valueUsd(holdings.fees0, holdings.fees1, price)
    const feesTotal = feesUsd + uncollectedUsd
    feeHistory.push(feesTotal - lastFeesUsdMark)
    lastFeesUsdMark = feesTotal
    const lpValue = valueUsd(holdings.amount0, holdings.amount1, price)
    const hold = valueUsd(initial0, initial1, price)
    const hedgeBase = Number(ticksToDecimal(hedgeLots, stepSize))
    const hedgePnl = hedgeCashQuote + hedgeBase * venuePrice
    const equity = lpValue + hedgePnl - gasUsd
    const pnlVsHold = equity - hold
    const base = positions.find((p) => p.kind === 'base')
    const limit = positions.find((p) => p.kind === 'limit')
    const bounds = (p: OpenPosition | undefined) => {
      if (p === undefined) return [null, null] as const
      const a = priceAtTick(p.tickLower)
      const b = priceAtTick(p.tickUpper)
      return [Math.min(a, b), Math.max(a, b)] as const
    }
    const [bl, bu] = bounds(base)
    const [ll, lu] = bounds(limit)
    const tick = pool().slot0.tick
    if (base && tick >= base.tickLower && tick < base.tickUpper) inRangeMinutes++
    const lpBase = toBase(holdings.amount0, holdings.amount1)
    series.tsMs.push(Number(kline.tsNs / 1_000_000n))
    series.poolPrice.push(price)
    series.venuePrice.push(venuePrice)
    series.baseLowerPrice.push(bl)
    series.baseUpperPrice.push(bu)
    series.limitLowerPrice.push(ll)
    series.limitUpperPrice.push(lu)
    series.lpBase.push(lpBase)
    series.hedgeBase.push(hedgeBase)
    // Net exposure: the LP's excess over the one target plus the hedge held (what the hedger drives to zero).
    const excessBase = Number(
      inventoryOf(holdings.amount0, holdings.amount1, Number(kline.tsNs / 1_000_000n), price).excessBase,
    )
    series.netExposureBase.push(excessBase + hedgeBase)
    series.feesUsd.push(feesTotal)
    series.hedgePnlUsd.push(hedgePnl)
    series.gasUsd.push(gasUsd)
    series.pnlVsHoldUsd.push(pnlVsHold)
    series.impermanentLossUsd.push(pnlVsHold - feesTotal - hedgePnl + gasUsd)
    series.equityUsd.push(equity)
  }

  const poolSource = readPoolLogEventBatches(config.data.poolEvents)
  const klineSource = readKlineBatches(config.data.klines)
  const drainQueue = (untilNs: bigint) => {
    for (let head = queue.peek(); head !== undefined && head.tsNs <= untilNs; head = queue.peek()) {
      queue.pop()
      clock.advanceTo(head.tsNs)
      deliver(head.value)
    }
  }
  // One await per file chunk; the events of a chunk run synchronously, in the same order as one await per event.
  for await (const batch of mergeSourceBatches<PoolLogEvent | KlineEvent>([poolSource, klineSource]))
    for (const event of batch) {
      drainQueue(event.tsNs)
      clock.advanceTo(event.tsNs)
      if (event.source === 'pool') {
        if (replay === undefined) {
          replay = new PoolReplay({
            feePips: config.pool.feePips,
            tickSpacing: config.pool.tickSpacing,
            initialSqrtPriceX96: BigInt(config.pool.initialSqrtPriceX96),
            initialLiquidity: event.totalLiquidity,
          })
          startMs = Number(event.tsNs / 1_000_000n)
        }
        replay.apply(event)
        lpStateVersion++
        poolEvents++
      } else {
        if (replay === undefined) continue
        onKline(event)
      }
      endMs = Number(event.tsNs / 1_000_000n)
      processed++
      onProgress?.(processed)
    }
  drainQueue(clock.nowNs())
  if (replay === undefined || lastKline === undefined) {
    throw new InvalidConfigError({
      field: 'data',
      value: config.data.poolEvents,
      rule: 'pool events and klines that overlap in time',
    })
  }
  const finalPrice = poolPrice()
  const n = series.tsMs.length
  const last = n - 1
  const equity = series.equityUsd
  const { sharpe, maxDrawdownUsd, maxDrawdownFraction } = computeEquityStatistics(equity)
  const active = series.lpBase.slice(config.lp.warmUpMinutes)
  const exposure = series.netExposureBase.slice(config.lp.warmUpMinutes).map(Math.abs)
  const wallMs = (nowMs?.() ?? 0) - wallStart
  const memory =
    typeof process !== 'undefined' && typeof process.memoryUsage === 'function' ? process.memoryUsage().rss : 0
  const stats = replay.stats
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    name: config.name,
    models: {
      fill: models.fill.kind,
      exchange: models.exchange.kind,
      fee: models.fee.kind,
      latency: models.latency.kind,
      gas: models.gasLabel,
    },
    period: { startMs, endMs, poolEvents, klines },
    summary: {
      initialValueUsd: valueUsd(initial0, initial1, series.poolPrice[0] ?? finalPrice),
      finalValueUsd: equity[last] ?? 0,
      holdValueUsd: valueUsd(initial0, initial1, finalPrice),
      pnlVsHoldUsd: series.pnlVsHoldUsd[last] ?? 0,
      feesUsd: series.feesUsd[last] ?? 0,
      impermanentLossUsd: series.impermanentLossUsd[last] ?? 0,
      hedgePnlUsd: series.hedgePnlUsd[last] ?? 0,
      gasUsd,
      sharpe,
      maxDrawdownUsd,
      maxDrawdownFraction,
      timeInRange: n > config.lp.warmUpMinutes ? inRangeMinutes / (n - config.lp.warmUpMinutes) : 0,
      rebalances: rebalances.length,
      trades: trades.length,
      inventory: {
        lpBaseMin: Math.min(...active),
        lpBaseMax: Math.max(...active),
        lpBaseMean: active.reduce((a, b) => a + b, 0) / Math.max(1, active.length),
        netExposureMeanAbs: exposure.reduce((a, b) => a + b, 0) / Math.max(1, exposure.length),
        netExposureMaxAbs: Math.max(0, ...exposure),
      },
      feesCollected0Raw: String(fees0),
      feesCollected1Raw: String(fees1),
      gasUsedTotal,
    },
    replay: {
      swaps: stats.swaps,
      swapsExact: stats.swapsExact,
      swapsTopUp: stats.swapsTopUp,
      liquidityInferred: stats.liquidityNetInferred,
      liquidityUnexplained: stats.liquidityUnexplained,
    },
    rebalances,
    trades,
    series,
    performance: { wallMs, eventsPerSec: wallMs > 0 ? (processed / wallMs) * 1000 : 0, peakRssBytes: memory },
  }
}
