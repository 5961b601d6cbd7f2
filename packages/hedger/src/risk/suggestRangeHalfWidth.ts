import type { HedgerState } from '../core/types.js'

/**
 * Volatility-driven LP range half-width, basis points: widthSigmas · σ_log · √rangeHorizonSec · 10⁴, clamped to
 * [minHalfWidthBps, maxHalfWidthBps]. σ_log is the largest ready venue estimate (price σ / mid: the conservative,
 * wider choice). Returns null while no venue's volatility is warmed up.
 */
export function suggestRangeHalfWidth(state: HedgerState): { halfWidthBps: number; sigmaLogPerSqrtSec: number } | null {
  let sigmaLog: number | null = null
  for (const venue of state.venues) {
    if (venue.bbo === null || venue.bbo.bidPriceTicks < 1) continue
    const volatility = venue.volatility.read()
    if (!volatility.ready) continue
    const mid = ((venue.bbo.bidPriceTicks + venue.bbo.askPriceTicks) / 2) * venue.config.tickSizePrice
    const candidate = volatility.sigmaPerSqrtSec / mid
    if (sigmaLog === null || candidate > sigmaLog) sigmaLog = candidate
  }
  if (sigmaLog === null) return null
  const lp = state.config.lp
  const raw = lp.widthSigmas * sigmaLog * Math.sqrt(lp.rangeHorizonSec) * 10_000
  return { halfWidthBps: Math.min(lp.maxHalfWidthBps, Math.max(lp.minHalfWidthBps, raw)), sigmaLogPerSqrtSec: sigmaLog }
}
