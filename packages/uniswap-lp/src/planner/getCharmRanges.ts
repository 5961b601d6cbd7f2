import { InvalidParameterError } from '../errors/parameter.js'
import { TickOutOfRangeError } from '../errors/tick.js'
import { MAX_TICK, MIN_TICK } from '../math/tickMath.js'
import { floorTick } from '../math/tickSpacing.js'

export type CharmRanges = {
  /** X: the current tick floored to the spacing, toward −∞ (Charm `_floor`). */
  flooredTick: number
  base: { tickLower: number; tickUpper: number }
  /** Below the price, holds token1 (Charm's "bid"). */
  limitBelow: { tickLower: number; tickUpper: number }
  /** Above the price, holds token0 (Charm's "ask"). */
  limitAbove: { tickLower: number; tickUpper: number }
}

function requireThreshold(field: string, value: number, tickSpacing: number): void {
  if (!Number.isInteger(value) || value <= 0 || value % tickSpacing !== 0) {
    throw new InvalidParameterError({ field, value, rule: `a positive multiple of tickSpacing ${tickSpacing}` })
  }
}

/**
 * The Charm Alpha Vault ranges: base [X − B, X + TS + B], below [X − L, X], above [X + TS, X + TS + L], with
 * X = floor(tick / TS)·TS toward −∞. By construction belowUpper = X ≤ tick < X + TS = aboveLower.
 * Every returned tick is within [MIN_TICK, MAX_TICK] (a position outside cannot be minted).
 * @throws TickOutOfRangeError when `tick` is not an integer in [MIN_TICK, MAX_TICK].
 * @throws InvalidParameterError when B or L is not a positive multiple of the spacing, or so large at this tick that a
 *   range would leave [MIN_TICK, MAX_TICK] (the error names the threshold and its largest value here).
 */
export function getCharmRanges(parameters: {
  tick: number
  tickSpacing: number
  baseThresholdTicks: number
  limitThresholdTicks: number
}): CharmRanges {
  const { tick, tickSpacing, baseThresholdTicks: b, limitThresholdTicks: l } = parameters
  if (!(Number.isInteger(tick) && tick >= MIN_TICK && tick <= MAX_TICK))
    throw new TickOutOfRangeError({ field: 'tick', value: tick, min: MIN_TICK, max: MAX_TICK })
  const x = floorTick(tick, tickSpacing)
  requireThreshold('baseThresholdTicks', b, tickSpacing)
  requireThreshold('limitThresholdTicks', l, tickSpacing)
  // Base and limit ranges reach from x − threshold to x + spacing + threshold: both ends must be usable ticks.
  const room = Math.min(x - MIN_TICK, MAX_TICK - x - tickSpacing)
  for (const [field, threshold] of [
    ['baseThresholdTicks', b],
    ['limitThresholdTicks', l],
  ] as const) {
    if (threshold > room) {
      const largest = Math.floor(Math.max(0, room) / tickSpacing) * tickSpacing
      throw new InvalidParameterError({
        field,
        value: threshold,
        rule: `≤ ${largest} at tick ${tick} (the range [${x - threshold}, ${x + tickSpacing + threshold}] must stay within [${MIN_TICK}, ${MAX_TICK}])`,
      })
    }
  }
  return {
    flooredTick: x,
    base: { tickLower: x - b, tickUpper: x + tickSpacing + b },
    limitBelow: { tickLower: x - l, tickUpper: x },
    limitAbove: { tickLower: x + tickSpacing, tickUpper: x + tickSpacing + l },
  }
}
