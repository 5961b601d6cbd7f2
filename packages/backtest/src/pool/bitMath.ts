import { PoolRevertError } from '../errors/pool.js'

/**
 * `BitMath.mostSignificantBit` (v3-core): index of the highest set bit of `x` (> 0, < 2^256).
 * Binary search over 128/64/…/1-bit halves, as the contract does (no string conversion).
 */
export function mostSignificantBit(x: bigint): number {
  if (x <= 0n)
    throw new PoolRevertError({
      operation: 'BitMath.mostSignificantBit',
      revertReason: '',
      field: 'x',
      value: String(x),
    })
  let r = 0
  let v = x
  if (v >= 0x100000000000000000000000000000000n) {
    v >>= 128n
    r += 128
  }
  if (v >= 0x10000000000000000n) {
    v >>= 64n
    r += 64
  }
  if (v >= 0x100000000n) {
    v >>= 32n
    r += 32
  }
  // Below 2^32 the value is exact as a number: finish with Math.clz32.
  return r + 31 - Math.clz32(Number(v))
}

/** `BitMath.leastSignificantBit` (v3-core): index of the lowest set bit of `x` (> 0). */
export function leastSignificantBit(x: bigint): number {
  if (x <= 0n)
    throw new PoolRevertError({
      operation: 'BitMath.leastSignificantBit',
      revertReason: '',
      field: 'x',
      value: String(x),
    })
  return mostSignificantBit(x & -x)
}
