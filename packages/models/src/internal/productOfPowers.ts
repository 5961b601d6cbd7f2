/** A factor of a product and its power: `[x, p]` stands for x^p. Powers are integers or ±1/2 (then x ≥ 0). */
export type PowerTerm = readonly [value: number, power: number]

/**
 * Π xᵢ^pᵢ · e^{extraLog} without intermediate overflow or underflow: the plain product when it is finite and non-zero,
 * otherwise the same value through logarithms (so 1e200² · 1e-300 is 1e100, not Infinity). Returns ±Infinity only when
 * the result itself is beyond the double range, and 0 when a factor with a positive power is 0 (or the result
 * underflows).
 */
export function productOfPowers(terms: readonly PowerTerm[], extraLog = 0): number {
  let plain = Math.exp(extraLog)
  for (const [x, p] of terms) plain *= p === 1 ? x : p === 2 ? x * x : p === -1 ? 1 / x : x ** p
  if (Number.isFinite(plain) && plain !== 0) return plain
  let log = extraLog
  let sign = 1
  for (const [x, p] of terms) {
    if (x === 0) {
      if (p > 0) return 0
      return Number.POSITIVE_INFINITY
    }
    log += p * Math.log(Math.abs(x))
    if (x < 0 && Number.isInteger(p) && p % 2 !== 0) sign = -sign
  }
  return sign * Math.exp(log)
}

/**
 * The name of the term with the largest ln|x^p| (a number stands for a precomputed logarithm, e.g. k·ξ/4 for
 * e^{kξ/4}): which input pushed a product out of the double range.
 */
export function largestLogContribution(terms: Readonly<Record<string, PowerTerm | number>>): string {
  let best = ''
  let bestLog = Number.NEGATIVE_INFINITY
  for (const [field, term] of Object.entries(terms)) {
    const log =
      typeof term === 'number' ? term : term[0] === 0 ? Number.NEGATIVE_INFINITY : term[1] * Math.log(Math.abs(term[0]))
    if (best === '' || log > bestLog) {
      best = field
      bestLog = log
    }
  }
  return best
}

/** (1/γ)·ln(1 + γ/k), also when γ/k overflows (ln(1 + γ/k) = ln γ − ln k + ln(1 + k/γ)). */
export function logOnePlusRatioOver(gamma: number, k: number): number {
  const y = gamma / k
  const log1pY = Number.isFinite(y) ? Math.log1p(y) : Math.log(gamma) - Math.log(k) + Math.log1p(k / gamma)
  return log1pY / gamma
}
