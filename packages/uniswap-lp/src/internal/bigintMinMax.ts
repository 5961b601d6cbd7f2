/** The smaller of two bigints (Math.min does not accept bigint). */
export function minBigInt(a: bigint, b: bigint): bigint {
  if (a < b) return a
  return b
}

/** The larger of two bigints (Math.max does not accept bigint). */
export function maxBigInt(a: bigint, b: bigint): bigint {
  if (a > b) return a
  return b
}
