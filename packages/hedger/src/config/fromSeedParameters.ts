import type { HedgerConfigInput } from './hedgerConfigSchema.js'

/** The original Python LP bot's parameters. */
export type SeedParameters = {
  /** Total LP range width as a fraction of price (0.02 = 2 %). */
  BASE_SPREAD: number
  /** Inventory deviation that triggers an LP rebalance, fraction of value (0.10). */
  REBALANCE_THRESHOLD: number
  /** Pool fee as a fraction (0.0005 = 0.05 %). */
  FEE_TIER: number
  /** Pricing model. */
  MODEL_TYPE: 'GLFT' | 'AS'
}

/**
 * Maps the seed parameters onto a hedger config input (merge the result into your own before `parseHedgerConfig`):
 * MODEL_TYPE → `model.type`; BASE_SPREAD → `lp.minHalfWidthBps` (half the width, in bps: 0.02 → 100);
 * REBALANCE_THRESHOLD → `lp.rebalanceThreshold`; FEE_TIER → `lp.poolFeeBps` (0.0005 → 5) and a basis bound of at
 * least twice the pool fee (`risk.maxBasisBps`, the basis the pool can sustain before arbitrage pays).
 */
export function fromSeedParameters(seed: SeedParameters): Pick<HedgerConfigInput, 'model' | 'lp' | 'risk'> {
  const poolFeeBps = seed.FEE_TIER * 10_000
  const maxBasisBps = Math.max(100, 2 * poolFeeBps)
  return {
    model: { type: seed.MODEL_TYPE },
    lp: {
      poolFeeBps,
      rebalanceThreshold: seed.REBALANCE_THRESHOLD,
      minHalfWidthBps: (seed.BASE_SPREAD * 10_000) / 2,
    },
    risk: { maxBasisBps, resumeBasisBps: maxBasisBps / 2 },
  }
}
