import { InvalidParameterError } from '../errors/parameter.js'
import { spreadToTicks } from './spreadToTicks.js'
import type { RangePlannerConfig } from './types.js'

/**
 * A volatility-driven half-width (the hedger's `suggestRange` command: `halfWidthBps` of price) applied to a planner
 * config: the base range's minimum half-width becomes max(config.minBaseHalfWidthTicks, ticks of the hint). The
 * inventory-aware width of the model (AS/GLFT spread) is kept; volatility only widens it, so that the base covers the move
 * the hedger expects over its range horizon. `null` (no estimate yet, e.g. during warm-up) returns the config unchanged.
 * The live LP manager and the backtester both plan through this function.
 * @throws InvalidParameterError when `halfWidthBps` is not finite and > 0.
 */
export function applyRangeHalfWidthHint(config: RangePlannerConfig, halfWidthBps: number | null): RangePlannerConfig {
  if (halfWidthBps === null) return config
  if (!Number.isFinite(halfWidthBps) || halfWidthBps <= 0) {
    throw new InvalidParameterError({
      field: 'halfWidthBps',
      value: halfWidthBps,
      rule: 'a finite number > 0, or null',
    })
  }
  const hintTicks = spreadToTicks(halfWidthBps / 10_000)
  if (hintTicks <= config.minBaseHalfWidthTicks) return config
  return { ...config, minBaseHalfWidthTicks: hintTicks }
}
