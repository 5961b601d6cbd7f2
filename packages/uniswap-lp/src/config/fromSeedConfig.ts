import { InvalidParameterError } from '../errors/parameter.js'
import { feeFractionToPips, getTickSpacing } from '../math/tickSpacing.js'
import { spreadToTicks } from '../planner/spreadToTicks.js'
import type { RangePlannerConfig } from '../planner/types.js'
import type { RebalancePolicyConfig } from '../policy/types.js'

/** The original LP bot's configuration keys, spelled as it spelled them. */
export type SeedLpConfig = {
  /** Minimum half-width of the base range as a relative price distance (0.02 = ±2 %). */
  BASE_SPREAD: number
  /** Inventory deviation from target (share of value) that triggers a rebalance (0.10). */
  REBALANCE_THRESHOLD: number
  /** Pool fee as a fraction (0.0005 = the 0.05 % tier = 500 pips). */
  FEE_TIER: number
  /** Which model prices the quotes. */
  MODEL_TYPE: 'GLFT' | 'AS'
}

export type FromSeedConfigReturnType = {
  feePips: number
  tickSpacing: number
  modelType: 'GLFT' | 'AS'
  planner: RangePlannerConfig
  policy: RebalancePolicyConfig
}

/**
 * Maps the seed system's LP configuration onto the planner and policy configs. Every derived value is stated here:
 * - FEE_TIER 0.0005 → feePips 500 (tick spacing 10);
 * - BASE_SPREAD 0.02 → minBaseHalfWidthTicks = ceil(ln 1.02 / ln 1.0001) = 199: the base reaches at least ±2 % from r;
 *   base width otherwise from the model's spread (multiplier 1), limit width = the base half-width, limit adjacent to
 *   the price (Charm), base centred on r and always containing the price;
 * - REBALANCE_THRESHOLD 0.10 → inventoryThreshold 0.10, hysteresis band threshold/2, edge buffer 10 % of the width,
 *   rebalance only when the expected gain covers gas (ratio 1). `minIntervalMs` has no seed key: the caller passes it.
 * @throws UnknownFeeTierError | InvalidParameterError
 */
export function fromSeedConfig(seed: SeedLpConfig, options: { minIntervalMs: number }): FromSeedConfigReturnType {
  const feePips = feeFractionToPips(seed.FEE_TIER)
  const tickSpacing = getTickSpacing(feePips)
  if (seed.MODEL_TYPE !== 'GLFT' && seed.MODEL_TYPE !== 'AS') {
    throw new InvalidParameterError({ field: 'MODEL_TYPE', value: seed.MODEL_TYPE, rule: "'GLFT' or 'AS'" })
  }
  const threshold = seed.REBALANCE_THRESHOLD
  if (!(Number.isFinite(threshold) && threshold > 0 && threshold <= 1)) {
    throw new InvalidParameterError({ field: 'REBALANCE_THRESHOLD', value: threshold, rule: 'in (0, 1]' })
  }
  if (!(Number.isFinite(options.minIntervalMs) && options.minIntervalMs >= 0)) {
    throw new InvalidParameterError({ field: 'minIntervalMs', value: options.minIntervalMs, rule: 'finite and >= 0' })
  }
  return {
    feePips,
    tickSpacing,
    modelType: seed.MODEL_TYPE,
    planner: {
      width: { mode: 'model', baseSpreadMultiplier: 1, limitWidthMultiplier: 1 },
      baseCenter: 'reservation',
      limitPlacement: 'adjacent',
      minBaseHalfWidthTicks: spreadToTicks(seed.BASE_SPREAD),
      minLimitWidthTicks: tickSpacing,
      baseContainsPrice: true,
    },
    policy: {
      edgeBufferFraction: 0.1,
      inventoryThreshold: threshold,
      inventoryHysteresis: threshold / 2,
      minIntervalMs: options.minIntervalMs,
      minGainToGasRatio: 1,
    },
  }
}
