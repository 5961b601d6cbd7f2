/**
 * `numerator / denominator` rounded to the nearest integer, a tie (exactly half-way) away from zero: `7/2` → 4,
 * `−7/2` → −4, `10/3` → 3. The result is never more than half a unit from the exact quotient, and rounding is
 * symmetric around zero (`f(−n, d) = −f(n, d)`), so a long and a short of the same size round to the same magnitude.
 * @throws RangeError when `denominator` is not > 0.
 */
export function divideRoundHalfAway(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError(`divideRoundHalfAway: denominator ${denominator} must be > 0`)
  const magnitude = numerator < 0n ? -numerator : numerator
  // floor((2|n| + d) / 2d) = round-half-up of |n|/d
  const rounded = (2n * magnitude + denominator) / (2n * denominator)
  return numerator < 0n ? -rounded : rounded
}
