/** Version of the results JSON layout (docs/backtest.md#results; JSON Schema: schema/backtest-results.schema.json). */
export const RESULTS_SCHEMA_VERSION = 1

/** Per-minute sample of the run (arrays in {@link BacktestResults.series} are aligned by index). */
export type ResultSeries = {
  tsMs: number[]
  /** Pool price, quote per base (USD per ETH). */
  poolPrice: number[]
  /** Hedge venue kline close. */
  venuePrice: number[]
  /** Base range bounds in price (null while no position). */
  baseLowerPrice: (number | null)[]
  baseUpperPrice: (number | null)[]
  limitLowerPrice: (number | null)[]
  limitUpperPrice: (number | null)[]
  /** Base-token inventory of the LP (positions + uncollected fees + idle), base units. */
  lpBase: number[]
  /** Hedge position on the venue, base units (> 0 long). */
  hedgeBase: number[]
  /** The LP's excess over the one inventory target (`excessBase`, lp.targetBaseShare) plus the hedge held, base. */
  netExposureBase: number[]
  /** Cumulative PnL parts in quote units (USD). */
  feesUsd: number[]
  impermanentLossUsd: number[]
  hedgePnlUsd: number[]
  gasUsd: number[]
  pnlVsHoldUsd: number[]
  equityUsd: number[]
}

export type BacktestResults = {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION
  name: string
  /** Models the run used, by kind (reproducibility). */
  models: { fill: string; exchange: string; fee: string; latency: string; gas: string }
  period: { startMs: number; endMs: number; poolEvents: number; klines: number }
  summary: {
    initialValueUsd: number
    finalValueUsd: number
    holdValueUsd: number
    pnlVsHoldUsd: number
    feesUsd: number
    impermanentLossUsd: number
    hedgePnlUsd: number
    gasUsd: number
    /** Annualised from one-minute equity returns (√525600). */
    sharpe: number
    maxDrawdownUsd: number
    maxDrawdownFraction: number
    /** Share of minutes the pool price was inside the base range. */
    timeInRange: number
    rebalances: number
    trades: number
    inventory: {
      lpBaseMin: number
      lpBaseMax: number
      lpBaseMean: number
      netExposureMeanAbs: number
      netExposureMaxAbs: number
    }
    /** Fees collected from our positions (token units, exact). */
    feesCollected0Raw: string
    feesCollected1Raw: string
    gasUsedTotal: number
  }
  /** Replay diagnostics (docs/backtest.md#replay). */
  replay: {
    swaps: number
    swapsExact: number
    swapsTopUp: number
    liquidityInferred: number
    liquidityUnexplained: number
  }
  rebalances: {
    tsMs: number
    reason: string
    base: { tickLower: number; tickUpper: number; liquidity: string }
    limit: { tickLower: number; tickUpper: number; liquidity: string } | null
    /** The hedger's last `suggestRange` half-width when the ranges were planned (bps; null before its first estimate). */
    rangeHalfWidthBps: number | null
    gasUsd: number
    /** Fees collected from the closed positions (token units) and what the pool's fee growth says they were owed. */
    fees0Raw: string
    fees1Raw: string
    feesFromGrowth0Raw: string
    feesFromGrowth1Raw: string
  }[]
  trades: {
    tsMs: number
    side: 'buy' | 'sell'
    price: string
    sizeBase: string
    feeQuote: string
    clientOrderId: string
  }[]
  series: ResultSeries
  performance: { wallMs: number; eventsPerSec: number; peakRssBytes: number }
}
