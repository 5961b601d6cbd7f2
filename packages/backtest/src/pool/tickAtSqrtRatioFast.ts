import { MAX_TICK, MIN_TICK } from '@alp/uniswap-lp'
import { PoolRevertError } from '../errors/pool.js'
import { sqrtRatioAtTickCached } from './sqrtRatioAtTickCached.js'

const MIN_SQRT_RATIO = 4295128739n
const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n
const LOG_BASE = Math.log(1.0001)
const Q96_NUMBER = 2 ** 96

/**
 * `TickMath.getTickAtSqrtRatio`, exactly: the greatest tick whose `getSqrtRatioAtTick` is ≤ `sqrtPriceX96`. A float
 * logarithm gives a guess (off by at most a tick or two), then exact bigint comparisons against the memoised ratios of
 * the neighbouring ticks settle it — the result is the contract's by definition, not an approximation. Tested against
 * the contract-port `getTickAtSqrtRatio` on random prices.
 */
export function tickAtSqrtRatioFast(sqrtPriceX96: bigint): number {
  if (sqrtPriceX96 < MIN_SQRT_RATIO || sqrtPriceX96 >= MAX_SQRT_RATIO) {
    throw new PoolRevertError({
      operation: 'TickMath.getTickAtSqrtRatio',
      revertReason: 'R',
      field: 'sqrtPriceX96',
      value: String(sqrtPriceX96),
    })
  }
  const ratio = Number(sqrtPriceX96) / Q96_NUMBER
  let tick = Math.floor((2 * Math.log(ratio)) / LOG_BASE)
  if (tick < MIN_TICK) tick = MIN_TICK
  if (tick > MAX_TICK) tick = MAX_TICK
  while (tick > MIN_TICK && sqrtRatioAtTickCached(tick) > sqrtPriceX96) tick--
  while (tick < MAX_TICK && sqrtRatioAtTickCached(tick + 1) <= sqrtPriceX96) tick++
  return tick
}
