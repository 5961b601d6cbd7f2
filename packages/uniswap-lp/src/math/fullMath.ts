import { MathOverflowError } from '../errors/math.js'
import { MAX_UINT256 } from './constants.js'

/**
 * `FullMath.mulDiv` (v3-core): floor(a × b / denominator) with a 512-bit intermediate.
 * Reverts (throws) when `denominator` is 0 or the result does not fit in a uint256, as the contract does.
 * Native bigint has unbounded precision, so the 512-bit product is exact; only the result width is checked.
 */
export function mulDiv(a: bigint, b: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new MathOverflowError({ operation: 'FullMath.mulDiv', reason: 'denominator is 0' })
  const result = (a * b) / denominator
  if (result > MAX_UINT256) throw new MathOverflowError({ operation: 'FullMath.mulDiv', reason: 'result > uint256' })
  return result
}

/** `FullMath.mulDivRoundingUp` (v3-core): ceil(a × b / denominator); throws like the contract on 0 or overflow. */
export function mulDivRoundingUp(a: bigint, b: bigint, denominator: bigint): bigint {
  if (denominator === 0n) {
    throw new MathOverflowError({ operation: 'FullMath.mulDivRoundingUp', reason: 'denominator is 0' })
  }
  const product = a * b
  let result = product / denominator
  if (product % denominator > 0n) result += 1n
  if (result > MAX_UINT256) {
    throw new MathOverflowError({ operation: 'FullMath.mulDivRoundingUp', reason: 'result > uint256' })
  }
  return result
}

/** `UnsafeMath.divRoundingUp` (v3-core): ceil(x / y) for unsigned x, y > 0 (the contract returns 0 for y = 0; we throw). */
export function divRoundingUp(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new MathOverflowError({ operation: 'UnsafeMath.divRoundingUp', reason: 'divisor is 0' })
  const quotient = x / y
  return x % y > 0n ? quotient + 1n : quotient
}
