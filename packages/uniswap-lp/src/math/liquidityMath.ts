import { MathOverflowError } from '../errors/math.js'
import { MAX_UINT128 } from './constants.js'

/**
 * `LiquidityMath.addDelta` (v3-core): x + y for a uint128 `x` and an int128 `y`.
 * @throws MathOverflowError `LS` when the result is below 0, `LA` when it exceeds uint128.
 */
export function addDelta(x: bigint, y: bigint): bigint {
  const z = x + y
  if (z < 0n)
    throw new MathOverflowError({ operation: 'LiquidityMath.addDelta', reason: 'LS (liquidity sub underflow)' })
  if (z > MAX_UINT128) {
    throw new MathOverflowError({ operation: 'LiquidityMath.addDelta', reason: 'LA (liquidity add overflow)' })
  }
  return z
}
