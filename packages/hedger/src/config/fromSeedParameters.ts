import type { HedgerConfigInput } from './hedgerConfigSchema.js'

/** The original Python LP bot's parameters. */
export type SeedParameters = {
  /**
   * Half-width of the LP base range as a fraction of price (0.02: the range reaches at least ±2 % from the price).
   * The same meaning as `fromSeedConfig` of @alp/uniswap-lp.
   */
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
 * MODEL_TYPE → `model.type`; BASE_SPREAD → `lp.minHalfWidthBps` (the half-width, in bps: 0.02 → 200);
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
      minHalfWidthBps: seed.BASE_SPREAD * 10_000,
    },
    risk: { maxBasisBps, resumeBasisBps: maxBasisBps / 2 },
  }
}
