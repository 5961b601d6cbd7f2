/**
 * One step of the continuous-time EWMA of the variance rate, shared by `computeEwmaVolatility` and
 * `createEwmaVolatilityEstimator` so both give bit-identical results.
 *
 * For an increment Δx over Δt seconds and time constant τ = halfLife / ln 2:
 *   decay = e^(−Δt/τ),  S ← decay·S + (1 − e^(−Δt/τ))·Δx²/Δt,  W ← decay·W + (1 − e^(−Δt/τ)).
 * For Δt → 0 the increment term tends to Δx²/τ (used when Δt = 0). S/W is the bias-corrected variance per second: each
 * increment is weighted by the time it covers, times e^(−age/τ), so irregular sampling is handled by elapsed time.
 */
export type EwmaVarianceAccumulator = {
  /** Weighted sum of variance-rate contributions (units of x² per second). */
  weightedVariance: number
  /** Total weight 1 − e^(−T/τ) accumulated so far (dimensionless). */
  weight: number
}

export function ewmaVarianceStep(acc: EwmaVarianceAccumulator, dx: number, dtSec: number, tauSec: number): void {
  const a = dtSec / tauSec
  const decay = Math.exp(-a)
  const w = -Math.expm1(-a)
  const contribution = dtSec === 0 ? (dx * dx) / tauSec : (w * (dx * dx)) / dtSec
  acc.weightedVariance = decay * acc.weightedVariance + contribution
  acc.weight = decay * acc.weight + w
}
