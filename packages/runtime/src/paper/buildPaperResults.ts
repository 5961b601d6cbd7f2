import { type BacktestResults, computeEquityStatistics, createResultSeries, type ResultSeries } from '@alp/backtest'
import { createInventoryUpdate, getSqrtRatioAtTick, type PriceOrientation, sqrtPriceX96ToPrice } from '@alp/uniswap-lp'
import type { PaperLpSample, PaperRebalance } from './createPaperLpManager.js'
import type { PaperStrategy } from './paperStrategy.js'

/** A hedge fill of the paper run (from the trader's journal; time = the emulator's, i.e. replay time). */
export type PaperFill = {
  readonly tsMs: number
  readonly side: 'buy' | 'sell'
  readonly price: number
  readonly sizeBase: number
  readonly feeQuote: number
  readonly priceText: string
  readonly sizeText: string
  readonly clientOrderId: string
}

export type BuildPaperResultsParameters = {
  readonly name: string
  readonly strategy: PaperStrategy
  readonly samples: readonly PaperLpSample[]
  readonly rebalances: readonly PaperRebalance[]
  readonly fills: readonly PaperFill[]
  /** Kline close price by close time (the venue price of the series). */
  readonly venueCloseAt: ReadonlyMap<number, number>
  readonly period: { startMs: number; endMs: number; poolEvents: number; klines: number }
  readonly replay: { swaps: number; swapsExact: number }
  readonly wallMs: number
}

/**
 * The paper run as the backtester's results (`BacktestResults`, schema version 1), so that the same HTML report and
 * the same tools read it. The PnL parts follow docs/backtest.md#results: fees = collected (valued at each rebalance's
 * pool price) + uncollected (now); hedge = cash + position × the venue's kline close; gas = what anvil charged our
 * transactions (gas used × effective gas price), priced in the base token at the pool price; IL = the residual
 * (LP value − hold value − fees), so that fees + IL + hedge − gas = PnL vs hold exactly.
 */
export function buildPaperResults(parameters: BuildPaperResultsParameters): BacktestResults {
  const { strategy, samples, rebalances, fills } = parameters
  const orientation: PriceOrientation = {
    baseToken: strategy.pool.baseToken,
    decimals0: strategy.pool.decimals0,
    decimals1: strategy.pool.decimals1,
  }
  const baseIs1 = strategy.pool.baseToken === 'token1'
  const scale0 = 10 ** strategy.pool.decimals0
  const scale1 = 10 ** strategy.pool.decimals1
  const quoteOf = (raw0: bigint, raw1: bigint) => (baseIs1 ? Number(raw0) / scale0 : Number(raw1) / scale1)
  const baseOf = (raw0: bigint, raw1: bigint) => (baseIs1 ? Number(raw1) / scale1 : Number(raw0) / scale0)
  const initialBase = baseOf(strategy.initialAmount0Raw, strategy.initialAmount1Raw)
  const initialQuote = quoteOf(strategy.initialAmount0Raw, strategy.initialAmount1Raw)
  const tickPrice = (tick: number) => sqrtPriceX96ToPrice(getSqrtRatioAtTick(tick), orientation)
  const bounds = (range: { tickLower: number; tickUpper: number } | null): [number | null, number | null] => {
    if (range === null) return [null, null]
    const a = tickPrice(range.tickLower)
    const b = tickPrice(range.tickUpper)
    return [Math.min(a, b), Math.max(a, b)]
  }
  const series = createResultSeries()
  let fillIndex = 0
  let hedgeBase = 0
  let cash = 0
  let rebalanceIndex = 0
  let collectedUsd = 0
  let gasUsd = 0
  let inRange = 0
  let lastVenuePrice = samples[0]?.poolPrice ?? 0
  for (const s of samples) {
    while (fillIndex < fills.length && fills[fillIndex]!.tsMs <= s.tsMs) {
      const f = fills[fillIndex++]!
      const signed = f.side === 'buy' ? f.sizeBase : -f.sizeBase
      hedgeBase += signed
      cash -= signed * f.price + f.feeQuote
    }
    while (rebalanceIndex < rebalances.length && rebalances[rebalanceIndex]!.tsMs <= s.tsMs) {
      const r = rebalances[rebalanceIndex++]!
      collectedUsd += quoteOf(r.fees0Raw, r.fees1Raw) + baseOf(r.fees0Raw, r.fees1Raw) * r.poolPrice
      gasUsd += (Number(r.gasPaidWei) / 1e18) * r.poolPrice
    }
    const venuePrice = parameters.venueCloseAt.get(s.tsMs) ?? lastVenuePrice
    lastVenuePrice = venuePrice
    const price = s.poolPrice
    const lpBase = baseOf(
      s.wallet0Raw + s.principal0Raw + s.uncollected0Raw,
      s.wallet1Raw + s.principal1Raw + s.uncollected1Raw,
    )
    const lpQuote = quoteOf(
      s.wallet0Raw + s.principal0Raw + s.uncollected0Raw,
      s.wallet1Raw + s.principal1Raw + s.uncollected1Raw,
    )
    const lpValue = lpQuote + lpBase * price
    const holdValue = initialQuote + initialBase * price
    const feesUsd =
      collectedUsd +
      quoteOf(s.uncollected0Raw, s.uncollected1Raw) +
      baseOf(s.uncollected0Raw, s.uncollected1Raw) * price
    const hedgePnlUsd = cash + hedgeBase * venuePrice
    const [baseLower, baseUpper] = bounds(s.base)
    const [limitLower, limitUpper] = bounds(s.limit)
    if (baseLower !== null && baseUpper !== null && price >= baseLower && price <= baseUpper) inRange++
    // Net exposure: the LP's excess over the one inventory target plus the hedge (what the hedger drives to zero), as
    // runBacktest's series (createInventoryUpdate's excessBase, the live manager's definition).
    const excessBase = Number(
      createInventoryUpdate({
        source: 'paper',
        seq: 1,
        tsMs: s.tsMs,
        decimals0: strategy.pool.decimals0,
        decimals1: strategy.pool.decimals1,
        baseToken: strategy.pool.baseToken,
        targetBaseShare: 0.5,
        amount0Raw: s.wallet0Raw + s.principal0Raw + s.uncollected0Raw,
        amount1Raw: s.wallet1Raw + s.principal1Raw + s.uncollected1Raw,
        sqrtPriceX96: s.sqrtPriceX96,
        prices:
          strategy.pool.baseToken === 'token1'
            ? { token0: '1', token1: price.toFixed(6) }
            : { token0: price.toFixed(6), token1: '1' },
      }).excessBase,
    )
    pushResultSample(series, {
      tsMs: s.tsMs,
      poolPrice: price,
      venuePrice,
      base: [baseLower, baseUpper],
      limit: [limitLower, limitUpper],
      lpBase,
      lpValueUsd: lpValue,
      holdValueUsd: holdValue,
      hedgeBase,
      netExposureBase: excessBase + hedgeBase,
      feesUsd,
      hedgePnlUsd,
      gasUsd,
    })
  }
  const firstPrice = series.poolPrice[0] ?? 0
  return assembleResults({
    name: parameters.name,
    models: {
      fill: 'paper: Binance emulator (klines tape)',
      exchange: 'paper: Binance emulator',
      fee: 'paper: emulator fees',
      latency: 'paper: loopback HTTP/WebSocket',
      gas: 'paper: anvil (gas used × effective gas price)',
    },
    period: parameters.period,
    series,
    initialValueUsd: initialQuote + initialBase * firstPrice,
    holdValueUsd: initialQuote + initialBase * (series.poolPrice.at(-1) ?? 0),
    timeInRange: samples.length > 0 ? inRange / samples.length : 0,
    rebalances: rebalances.map((r) => ({
      tsMs: r.tsMs,
      reason: r.reason,
      base: { ...r.base, liquidity: r.base.liquidity.toString() },
      limit: r.limit === null ? null : { ...r.limit, liquidity: r.limit.liquidity.toString() },
      rangeHalfWidthBps: r.rangeHalfWidthBps,
      gasUsd: (Number(r.gasPaidWei) / 1e18) * r.poolPrice,
      fees0Raw: r.fees0Raw.toString(),
      fees1Raw: r.fees1Raw.toString(),
      // Collect − principal is what the chain paid, i.e. what the fee growth owed.
      feesFromGrowth0Raw: r.fees0Raw.toString(),
      feesFromGrowth1Raw: r.fees1Raw.toString(),
    })),
    fills,
    feesCollected0Raw: rebalances.reduce((a, r) => a + r.fees0Raw, 0n),
    feesCollected1Raw: rebalances.reduce((a, r) => a + r.fees1Raw, 0n),
    gasUsedTotal: Number(rebalances.reduce((a, r) => a + r.gasUnits, 0n)),
    replay: {
      swaps: parameters.replay.swaps,
      swapsExact: parameters.replay.swapsExact,
      swapsTopUp: 0,
      liquidityInferred: 0,
      liquidityUnexplained: 0,
    },
    performance: {
      wallMs: parameters.wallMs,
      eventsPerSec: parameters.wallMs > 0 ? (parameters.period.poolEvents / parameters.wallMs) * 1000 : 0,
      peakRssBytes: process.memoryUsage().rss,
    },
  })
}

/** One sample's figures; the PnL parts the results derive from them (docs/backtest.md#results). */
export type ResultSample = {
  readonly tsMs: number
  readonly poolPrice: number
  readonly venuePrice: number
  /** Base and limit range bounds in price, [lower, upper] (null: no such range). */
  readonly base: readonly [number | null, number | null]
  readonly limit: readonly [number | null, number | null]
  readonly lpBase: number
  /** The LP's holdings (wallet + positions + uncollected fees) and the deposit at this sample's pool price, USD. */
  readonly lpValueUsd: number
  readonly holdValueUsd: number
  readonly hedgeBase: number
  readonly netExposureBase: number
  /** Cumulative, USD. */
  readonly feesUsd: number
  readonly hedgePnlUsd: number
  readonly gasUsd: number
}

/**
 * Appends one sample to the results' series: IL = LP value − hold value − fees, PnL vs hold = LP value − hold value +
 * hedge − gas, equity = LP value + hedge − gas (so fees + IL + hedge − gas = PnL vs hold at every sample).
 */
export function pushResultSample(series: ResultSeries, p: ResultSample): void {
  series.tsMs.push(p.tsMs)
  series.poolPrice.push(p.poolPrice)
  series.venuePrice.push(p.venuePrice)
  series.baseLowerPrice.push(p.base[0])
  series.baseUpperPrice.push(p.base[1])
  series.limitLowerPrice.push(p.limit[0])
  series.limitUpperPrice.push(p.limit[1])
  series.lpBase.push(p.lpBase)
  series.hedgeBase.push(p.hedgeBase)
  series.netExposureBase.push(p.netExposureBase)
  series.feesUsd.push(p.feesUsd)
  series.impermanentLossUsd.push(p.lpValueUsd - p.holdValueUsd - p.feesUsd)
  series.hedgePnlUsd.push(p.hedgePnlUsd)
  series.gasUsd.push(p.gasUsd)
  series.pnlVsHoldUsd.push(p.lpValueUsd - p.holdValueUsd + p.hedgePnlUsd - p.gasUsd)
  series.equityUsd.push(p.lpValueUsd + p.hedgePnlUsd - p.gasUsd)
}

/**
 * The backtester's results (schema version 1) of a run seen from outside the backtester (the paper run, the journal's
 * replay): the summary from the series' last sample, `computeEquityStatistics` and the inventory figures, the
 * rebalances as given and the fills as trades.
 */
export function assembleResults(p: {
  readonly name: string
  readonly models: BacktestResults['models']
  readonly period: BacktestResults['period']
  readonly series: ResultSeries
  readonly initialValueUsd: number
  readonly holdValueUsd: number
  readonly timeInRange: number
  readonly rebalances: BacktestResults['rebalances']
  readonly fills: readonly PaperFill[]
  readonly feesCollected0Raw: bigint
  readonly feesCollected1Raw: bigint
  readonly gasUsedTotal: number
  readonly replay: BacktestResults['replay']
  readonly performance: BacktestResults['performance']
}): BacktestResults {
  const { series } = p
  const last = series.tsMs.length - 1
  const at = (values: number[]) => (last >= 0 ? (values[last] as number) : 0)
  const { sharpe, maxDrawdownUsd, maxDrawdownFraction } = computeEquityStatistics(series.equityUsd)
  const lpBases = series.lpBase
  const absExposure = series.netExposureBase.map(Math.abs)
  return {
    schemaVersion: 1,
    name: p.name,
    models: p.models,
    period: p.period,
    summary: {
      initialValueUsd: p.initialValueUsd,
      finalValueUsd: at(series.equityUsd),
      holdValueUsd: p.holdValueUsd,
      pnlVsHoldUsd: at(series.pnlVsHoldUsd),
      feesUsd: at(series.feesUsd),
      impermanentLossUsd: at(series.impermanentLossUsd),
      hedgePnlUsd: at(series.hedgePnlUsd),
      gasUsd: at(series.gasUsd),
      sharpe,
      maxDrawdownUsd,
      maxDrawdownFraction,
      timeInRange: p.timeInRange,
      rebalances: p.rebalances.length,
      trades: p.fills.length,
      inventory: {
        lpBaseMin: lpBases.length > 0 ? Math.min(...lpBases) : 0,
        lpBaseMax: lpBases.length > 0 ? Math.max(...lpBases) : 0,
        lpBaseMean: lpBases.reduce((a, b) => a + b, 0) / Math.max(1, lpBases.length),
        netExposureMeanAbs: absExposure.reduce((a, b) => a + b, 0) / Math.max(1, absExposure.length),
        netExposureMaxAbs: absExposure.length > 0 ? Math.max(...absExposure) : 0,
      },
      feesCollected0Raw: p.feesCollected0Raw.toString(),
      feesCollected1Raw: p.feesCollected1Raw.toString(),
      gasUsedTotal: p.gasUsedTotal,
    },
    replay: p.replay,
    rebalances: p.rebalances,
    trades: p.fills.map((f) => ({
      tsMs: f.tsMs,
      side: f.side,
      price: f.priceText,
      sizeBase: f.sizeText,
      feeQuote: String(f.feeQuote),
      clientOrderId: f.clientOrderId,
    })),
    series,
    performance: p.performance,
  }
}
