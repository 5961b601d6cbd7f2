import { InvalidParameterError } from '../errors/parameter.js'
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
 * @throws InvalidParameterError when B or L is not a positive multiple of the spacing.
 */
export function getCharmRanges(parameters: {
  tick: number
  tickSpacing: number
  baseThresholdTicks: number
  limitThresholdTicks: number
}): CharmRanges {
  const { tick, tickSpacing, baseThresholdTicks: b, limitThresholdTicks: l } = parameters
  const x = floorTick(tick, tickSpacing)
  requireThreshold('baseThresholdTicks', b, tickSpacing)
  requireThreshold('limitThresholdTicks', l, tickSpacing)
  return {
    flooredTick: x,
    base: { tickLower: x - b, tickUpper: x + tickSpacing + b },
    limitBelow: { tickLower: x - l, tickUpper: x },
    limitAbove: { tickLower: x + tickSpacing, tickUpper: x + tickSpacing + l },
  }
}
