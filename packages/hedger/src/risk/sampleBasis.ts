import type { HedgerState, VenueState } from '../core/types.js'

/**
 * One sample of the pool-vs-CEX monitor for a venue: basis = (CEX mid − pool price) / pool price in bps, and the
 * rolling Pearson correlation of their log returns over the last `correlationWindow` samples. Sets the venue's
 * `basisHalted` (|basis| > maxBasisBps; cleared at ≤ resumeBasisBps, hysteresis) and `divergenceHalted` (correlation
 * below minCorrelation once `correlationMinSamples` samples exist and both feeds moved; cleared at ≥ resumeCorrelation,
 * hysteresis).
 */
export function sampleBasis(state: HedgerState, venue: VenueState): void {
  const pool = state.poolPrice
  const bbo = venue.bbo
  if (pool === null || pool <= 0 || bbo === null || bbo.bidPriceTicks < 1) return
  const risk = state.config.risk
  const monitor = venue.basis
  const mid = ((bbo.bidPriceTicks + bbo.askPriceTicks) / 2) * venue.config.tickSizePrice
  const basisBps = ((mid - pool) / pool) * 10_000
  monitor.basisBps = basisBps
  const poolLog = Math.log(pool)
  const midLog = Math.log(mid)
  if (monitor.lastPoolLog !== null && monitor.lastMidLog !== null) {
    const window = monitor.poolReturns.length
    monitor.poolReturns[monitor.next] = poolLog - monitor.lastPoolLog
    monitor.midReturns[monitor.next] = midLog - monitor.lastMidLog
    monitor.next = (monitor.next + 1) % window
    monitor.count = Math.min(window, monitor.count + 1)
  }
  monitor.lastPoolLog = poolLog
  monitor.lastMidLog = midLog
  monitor.correlation =
    monitor.count >= risk.correlationMinSamples ? pearson(monitor.poolReturns, monitor.midReturns, monitor.count) : null

  if (Math.abs(basisBps) > risk.maxBasisBps) venue.basisHalted = true
  else if (venue.basisHalted && Math.abs(basisBps) <= risk.resumeBasisBps) venue.basisHalted = false
  // Hysteresis: halt below minCorrelation, resume only at resumeCorrelation or above (or when the correlation is
  // undefined again: a flat pool or CEX series is no evidence of divergence).
  const correlation = monitor.correlation
  if (correlation === null) venue.divergenceHalted = false
  else if (correlation < risk.minCorrelation) venue.divergenceHalted = true
  else if (venue.divergenceHalted && correlation >= risk.resumeCorrelation) venue.divergenceHalted = false
}

/** Pearson correlation of the first `n` entries (ring order does not matter); null when either series is flat. */
export function pearson(x: readonly number[], y: readonly number[], n: number): number | null {
  let sumX = 0
  let sumY = 0
  for (let i = 0; i < n; i++) {
    sumX += x[i] as number
    sumY += y[i] as number
  }
  const meanX = sumX / n
  const meanY = sumY / n
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX
    const dy = (y[i] as number) - meanY
    sxx += dx * dx
    syy += dy * dy
    sxy += dx * dy
  }
  if (sxx <= 0 || syy <= 0) return null
  return sxy / Math.sqrt(sxx * syy)
}
