import { InvalidParameterError } from '../errors/parameter.js'
import { assertNonNegative, assertPositive } from '../internal/assert.js'
import { largestLogContribution, productOfPowers } from '../internal/productOfPowers.js'

/** The smallest positive normal double: below it a quotient loses relative precision. */
const MIN_NORMAL = 2 ** -1022

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
 * Finite extreme inputs (A = 1e-320, k = 1e-300, ξΔ/k beyond the double range) are evaluated through logarithms, so a
 * representable coefficient is returned as such.
 *
 * @throws InvalidParameterError for an input out of its domain, or naming the input that makes c1 or c2 overflow.
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
  let log1pY: number
  let ratio: number // ln(1+y)/y, limit 1 at ξ = 0
  if (Number.isFinite(y)) {
    log1pY = Math.log1p(y)
    ratio = y === 0 ? 1 : log1pY / y
  } else {
    // y beyond the double range: ln(1+y) = ln y + ln(1 + 1/y), ln y = ln ξ + ln Δ − ln k.
    const logY = Math.log(xi) + Math.log(delta) - Math.log(k)
    log1pY = logY + Math.log1p(Math.exp(-logY))
    ratio = Math.exp(Math.log(log1pY) - logY)
  }
  // c1 = ratio/k; with a subnormal ratio or k (ξΔ/k beyond the range, k = 1e-320) the same value as ln(1+y)/(ξΔ).
  const c1Price =
    xi === 0 || (Number.isFinite(y) && ratio >= MIN_NORMAL && k >= MIN_NORMAL) ? ratio / k : log1pY / xi / delta
  if (!Number.isFinite(c1Price))
    throw new InvalidParameterError({
      field: 'kPerPrice',
      value: k,
      rule: `large enough that c1 = 1/k is finite (got ${c1Price})`,
      next: 'check the units of kPerPrice (per price unit).',
    })
  const bracket = Math.exp(ratio + log1pY)
  let c2SqrtSecPerBase = Math.sqrt((gamma / (2 * a * delta * k)) * bracket)
  if (!(Number.isFinite(c2SqrtSecPerBase) && c2SqrtSecPerBase > 0)) {
    // An intermediate over- or underflowed (A = 1e-320: γ/(2AΔk) is beyond the range, its square root is not).
    const terms = {
      gammaPerPrice: [gamma, 0.5],
      aPerSec: [a, -0.5],
      orderSizeBase: [delta, -0.5],
      kPerPrice: [k, -0.5],
    } as const
    c2SqrtSecPerBase = productOfPowers([...Object.values(terms), [2, -0.5]], 0.5 * (ratio + log1pY))
    if (!Number.isFinite(c2SqrtSecPerBase)) {
      const field = largestLogContribution(terms) as keyof typeof terms
      throw new InvalidParameterError({
        field,
        value: parameters[field],
        rule: `such that c2 = √(γ/(2AΔk)·(1+ξΔ/k)^{k/(ξΔ)+1}) is finite (got ${c2SqrtSecPerBase})`,
        next: `check the units of ${field}: c2 overflowed the double range.`,
      })
    }
  }
  return { c1Price, c2SqrtSecPerBase }
}
