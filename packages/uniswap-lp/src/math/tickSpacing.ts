import { UnknownFeeTierError } from '../errors/feeTier.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { TickNotAlignedError, TickOrderError, TickOutOfRangeError } from '../errors/tick.js'
import { MAX_TICK, MIN_TICK } from './tickMath.js'

/** Fee tiers (pips) enabled on the canonical v3 factories and their tick spacings. */
export const TICK_SPACINGS: Readonly<Record<number, number>> = Object.freeze({ 100: 1, 500: 10, 3000: 60, 10000: 200 })

/** The known fee tiers in pips, ascending. */
export const FEE_TIERS_PIPS: readonly number[] = Object.freeze([100, 500, 3000, 10000])

/**
 * Tick spacing of a fee tier: 100 → 1, 500 → 10, 3000 → 60, 10000 → 200.
 * @throws UnknownFeeTierError for any other value.
 */
export function getTickSpacing(feePips: number): number {
  const spacing = TICK_SPACINGS[feePips]
  if (spacing === undefined) throw new UnknownFeeTierError({ field: 'feePips', value: feePips, known: FEE_TIERS_PIPS })
  return spacing
}

/**
 * Fee tier as a fraction (the seed config's FEE_TIER = 0.0005) → pips (500). Rounds to the nearest pip and
 * then requires a known tier.
 * @throws UnknownFeeTierError when the result is not a known tier.
 */
export function feeFractionToPips(feeFraction: number): number {
  const feePips = Math.round(feeFraction * 1_000_000)
  if (!Number.isFinite(feeFraction) || TICK_SPACINGS[feePips] === undefined) {
    throw new UnknownFeeTierError({ field: 'feeFraction', value: feeFraction, known: FEE_TIERS_PIPS })
  }
  return feePips
}

function requireSpacing(tickSpacing: number): void {
  if (!Number.isInteger(tickSpacing) || tickSpacing <= 0) {
    throw new InvalidParameterError({ field: 'tickSpacing', value: tickSpacing, rule: 'a positive integer' })
  }
}

function requireTick(field: string, tick: number): void {
  if (!Number.isInteger(tick) || tick < MIN_TICK || tick > MAX_TICK) {
    throw new TickOutOfRangeError({ field, value: tick, min: MIN_TICK, max: MAX_TICK })
  }
}

/** The largest multiple of `tickSpacing` ≤ tick (toward −∞, like Charm's `_floor`; −5 with spacing 10 → −10). */
export function floorTick(tick: number, tickSpacing: number): number {
  requireSpacing(tickSpacing)
  if (!Number.isInteger(tick))
    throw new TickOutOfRangeError({ field: 'tick', value: tick, min: MIN_TICK, max: MAX_TICK })
  return Math.floor(tick / tickSpacing) * tickSpacing + 0 // + 0 turns -0 into 0
}

/** The smallest multiple of `tickSpacing` ≥ tick (toward +∞; −5 with spacing 10 → 0). */
export function ceilTick(tick: number, tickSpacing: number): number {
  requireSpacing(tickSpacing)
  if (!Number.isInteger(tick))
    throw new TickOutOfRangeError({ field: 'tick', value: tick, min: MIN_TICK, max: MAX_TICK })
  const floored = Math.floor(tick / tickSpacing) * tickSpacing
  return (floored === tick ? tick : floored + tickSpacing) + 0
}

/** Smallest usable (aligned) tick of a spacing: the first multiple ≥ MIN_TICK. */
export function minUsableTick(tickSpacing: number): number {
  return ceilTick(MIN_TICK, tickSpacing)
}

/** Largest usable (aligned) tick of a spacing: the last multiple ≤ MAX_TICK. */
export function maxUsableTick(tickSpacing: number): number {
  return floorTick(MAX_TICK, tickSpacing)
}

/**
 * The usable tick nearest to `tick` (ties round toward +∞), kept inside [MIN_TICK, MAX_TICK] — the same result as
 * @uniswap/v3-sdk `nearestUsableTick`.
 */
export function nearestUsableTick(tick: number, tickSpacing: number): number {
  requireSpacing(tickSpacing)
  requireTick('tick', tick)
  const rounded = Math.round(tick / tickSpacing) * tickSpacing
  if (rounded < MIN_TICK) return rounded + tickSpacing
  if (rounded > MAX_TICK) return rounded - tickSpacing
  return rounded + 0
}

/**
 * Validates a position's ticks as the pool and the NonfungiblePositionManager do: integers in [MIN_TICK, MAX_TICK],
 * multiples of the spacing, and tickLower < tickUpper.
 * @throws TickOutOfRangeError | TickNotAlignedError | TickOrderError
 */
export function assertValidRange(tickLower: number, tickUpper: number, tickSpacing: number): void {
  requireSpacing(tickSpacing)
  requireTick('tickLower', tickLower)
  requireTick('tickUpper', tickUpper)
  if (tickLower % tickSpacing !== 0)
    throw new TickNotAlignedError({ field: 'tickLower', value: tickLower, tickSpacing })
  if (tickUpper % tickSpacing !== 0)
    throw new TickNotAlignedError({ field: 'tickUpper', value: tickUpper, tickSpacing })
  if (tickLower >= tickUpper) throw new TickOrderError({ tickLower, tickUpper })
}
