/** Risk figures of an equity series (the results' `summary.sharpe`, `maxDrawdownUsd`, `maxDrawdownFraction`). */
export type EquityStatistics = {
  /** Mean over standard deviation of the per-sample returns, annualised for one sample a minute (× √525 600). */
  readonly sharpe: number
  /** Largest fall from a running peak, USD. */
  readonly maxDrawdownUsd: number
  /** That fall over the peak it fell from. */
  readonly maxDrawdownFraction: number
}

/**
 * Sharpe and maximum drawdown of an equity series sampled once a minute (the backtester's kline closes), as
 * runBacktest reports them; the paper run's results and the journal's replay use the same figures.
 */
export function computeEquityStatistics(equityUsd: readonly number[]): EquityStatistics {
  const returns: number[] = []
  for (let i = 1; i < equityUsd.length; i++) returns.push(equityUsd[i]! / equityUsd[i - 1]! - 1)
  const mean = returns.reduce((a, b) => a + b, 0) / Math.max(1, returns.length)
  const sd = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, returns.length - 1))
  let peak = Number.NEGATIVE_INFINITY
  let maxDrawdownUsd = 0
  let maxDrawdownFraction = 0
  for (const e of equityUsd) {
    peak = Math.max(peak, e)
    if (peak - e > maxDrawdownUsd) {
      maxDrawdownUsd = peak - e
      maxDrawdownFraction = maxDrawdownUsd / peak
    }
  }
  return { sharpe: sd > 0 ? (mean / sd) * Math.sqrt(525_600) : 0, maxDrawdownUsd, maxDrawdownFraction }
}
