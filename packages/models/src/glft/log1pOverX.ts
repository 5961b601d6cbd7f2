/**
 * ln(1 + x)/x, continuous at x = 0 (value 1). `Math.log1p` is accurate to a few ulp for all x > −1, so the ratio is
 * accurate for tiny x too (no cancellation); only x = 0 needs the limit. Used for (1/ξ)·ln(1 + ξ/k) → 1/k as ξ → 0.
 */
export function log1pOverX(x: number): number {
  return x === 0 ? 1 : Math.log1p(x) / x
}
