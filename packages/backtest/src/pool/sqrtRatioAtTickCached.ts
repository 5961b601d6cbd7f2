import { getSqrtRatioAtTick } from '@alp/uniswap-lp'

const cache = new Map<number, bigint>()

/**
 * `TickMath.getSqrtRatioAtTick` memoised per tick: a replay visits the same few hundred ticks thousands of times.
 * Values are immutable protocol constants, so sharing the cache across pools is safe. Bounded by the number of
 * distinct ticks visited (at most 1.7 M).
 */
export function sqrtRatioAtTickCached(tick: number): bigint {
  let value = cache.get(tick)
  if (value === undefined) {
    value = getSqrtRatioAtTick(tick)
    cache.set(tick, value)
  }
  return value
}
