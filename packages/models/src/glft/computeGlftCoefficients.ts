import { assertNonNegative, assertPositive } from '../internal/assert.js'

export type ComputeGlftCoefficientsParameters = {
  /** Guéant 2017's ξ (risk parameter of the approximation), per (price unit × base unit); ξ = γ gives GLFT 2013. ≥ 0. */
  xiPerPrice: number
  /** γ, CARA risk aversion, per (price unit × base unit). > 0. */
  gammaPerPrice: number
  /** Δ, order size, base units (the unit of the inventory q). > 0. */
  orderSizeBase: number
  /** A, fill intensity at zero depth, fills per second. > 0. */
  aPerSec: number
  /** k, intensity decay, per price unit. > 0. */
  kPerPrice: number
}

export type ComputeGlftCoefficientsReturnType = {
  /** c1 = (1/(ξΔ))·ln(1 + ξΔ/k), price units; → 1/k as ξ → 0. */
  c1Price: number
  /** c2 = √( γ/(2AΔk) · (1 + ξΔ/k)^{k/(ξΔ)+1} ), √second per base unit (σ·c2 is price per base unit). */
  c2SqrtSecPerBase: number
}

export type ComputeGlftCoefficientsErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * The coefficients c1, c2 of the closed-form GLFT approximation as hftbacktest's `compute_coeff(xi, gamma, delta, A, k)`
 * defines them (Guéant 2017, "Optimal market making", eqs. 4.6/4.7):
 * δᵇ = c1 + (Δ/2)·σ·c2 + q·σ·c2 and δᵃ = c1 + (Δ/2)·σ·c2 − q·σ·c2.
 *
 * Stable for every ξ ≥ 0: with y = ξΔ/k, c1 = (1/k)·ln(1+y)/y and (1+y)^{1/y+1} = exp(ln(1+y)/y + ln(1+y)),
 * evaluated with `log1p`, so ξ → 0 gives c1 → 1/k and the bracket → e without cancellation (ξ = 0 is accepted).
 */
export function computeGlftCoefficients(
  parameters: ComputeGlftCoefficientsParameters,
): ComputeGlftCoefficientsReturnType {
  const { xiPerPrice: xi, gammaPerPrice: gamma, orderSizeBase: delta, aPerSec: a, kPerPrice: k } = parameters
  assertNonNegative('xiPerPrice', xi)
  assertPositive('gammaPerPrice', gamma)
  assertPositive('orderSizeBase', delta)
  assertPositive('aPerSec', a)
  assertPositive('kPerPrice', k)
  const y = (xi * delta) / k
  const log1pY = Math.log1p(y)
  const ratio = y === 0 ? 1 : log1pY / y // ln(1+y)/y, limit 1 at ξ = 0
  const c1Price = ratio / k
  const bracket = Math.exp(ratio + log1pY)
  const c2SqrtSecPerBase = Math.sqrt((gamma / (2 * a * delta * k)) * bracket)
  return { c1Price, c2SqrtSecPerBase }
}
