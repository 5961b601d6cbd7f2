/**
 * The simulation set-up of Avellaneda & Stoikov (2008) §3.3 (preprint §3.3; docs/models.md, "The AS 2008 reproduction"):
 * s = 100, T = 1, σ = 2, dt = 0.005 (200 steps), q₀ = 0, k = 1.5, A = 140, 1000 paths. γ varies by table.
 * Units are the paper's: price in $ (dimensionless "price units"), time in units of T.
 */
export const AS2008_PAPER_PARAMETERS = {
  /** s₀, the initial mid price, price units. */
  initialMidPrice: 100,
  /** T, the horizon, time units. */
  horizonTime: 1,
  /** σ, price units per √(time unit). */
  sigmaPerSqrtTime: 2,
  /** dt, time units (T / dt = 200 steps). */
  timeStep: 0.005,
  /** A, fill intensity at zero depth, fills per time unit. */
  intensityPerTime: 140,
  /** k, per price unit. */
  kPerPrice: 1.5,
  /** q₀, order sizes. */
  initialQ: 0,
  /** Monte Carlo paths per configuration. */
  paths: 1000,
} as const
