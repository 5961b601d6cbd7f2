/** Integer division with an explicit rounding direction (`floor`, `ceil` or `trunc` toward zero). */
export function divRound(numerator: bigint, denominator: bigint, rounding: 'floor' | 'ceil' | 'trunc'): bigint {
  const q = numerator / denominator
  const r = numerator % denominator
  if (r === 0n || rounding === 'trunc') return q
  const positive = numerator < 0n === denominator < 0n
  if (rounding === 'floor') return positive ? q : q - 1n
  return positive ? q + 1n : q
}
