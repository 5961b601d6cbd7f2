/** Smaller of two bigints (Math.min does not accept bigint). */
export function minBigint(a: bigint, b: bigint): bigint {
  if (a < b) return a
  return b
}

/** Larger of two bigints (Math.max does not accept bigint). */
export function maxBigint(a: bigint, b: bigint): bigint {
  if (a > b) return a
  return b
}
