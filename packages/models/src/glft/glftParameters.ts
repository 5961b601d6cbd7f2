import { InvalidParameterError } from '../errors/parameter.js'
import { assertFinite, assertNonNegative, assertPositive } from '../internal/assert.js'

/**
 * Inputs of the GLFT 2013 model (Guéant, Lehalle, Fernandez-Tapia, "Dealing with the inventory risk", Math. Finan.
 * Econ. 7:477–507). Unit convention: prices in one **price unit** (currency, or ticks: any unit works if every price
 * input and output uses it), time in **seconds**, inventory in **lots** (one lot = the fixed order size; q is an integer
 * count of lots in the exact solution).
 */
export type GlftModelParameters = {
  /** γ, CARA risk aversion, per (price unit × lot); the paper's Tick⁻¹. Must be > 0. */
  gammaPerPrice: number
  /** σ, volatility of the arithmetic mid price, price units per √second. Must be ≥ 0 (> 0 with a drift). */
  sigmaPerSqrtSec: number
  /** A, fill intensity at zero depth: λ(δ) = A·e^{−kδ}, fills per second. Must be > 0. */
  aPerSec: number
  /** k, decay of the fill intensity with depth, per price unit. Must be > 0. */
  kPerPrice: number
  /** μ, drift of the mid price, price units per second (GLFT §5 "drift"). Default 0. */
  driftPricePerSec?: number | undefined
  /**
   * GLFT §5 market impact / adverse selection per fill, price units ≥ 0: the mid jumps by +impact after an ask fill and
   * −impact after a bid fill. Called ξ in GLFT 2013 — NOT Guéant 2017's ξ (`xiPerPrice`), hence the distinct name.
   * Default 0.
   */
  impactPricePerFill?: number | undefined
  /**
   * φ, the maker fee per lot filled, price units (e.g. fee rate × mid); negative for a rebate. Default 0. A fill at
   * depth δ is worth δ − φ: the quotes move by +φ and A becomes A·e^{−kφ} (fills at the shifted depth), so the closed
   * form's C grows by e^{kφ/2}. Only the closed form (`computeGlftApproxQuotes`) takes it.
   */
  makerFeePrice?: number | undefined
}

/** Checks every field of {@link GlftModelParameters} (field names are the property names). */
export function assertGlftModelParameters(parameters: GlftModelParameters): void {
  if (parameters === null || typeof parameters !== 'object')
    throw new InvalidParameterError({ field: 'parameters', value: parameters, rule: 'an object' })
  assertPositive('gammaPerPrice', parameters.gammaPerPrice)
  assertNonNegative('sigmaPerSqrtSec', parameters.sigmaPerSqrtSec)
  assertPositive('aPerSec', parameters.aPerSec)
  assertPositive('kPerPrice', parameters.kPerPrice)
  if (parameters.makerFeePrice !== undefined) assertFinite('makerFeePrice', parameters.makerFeePrice)
  if (parameters.driftPricePerSec !== undefined) {
    assertFinite('driftPricePerSec', parameters.driftPricePerSec)
    if (parameters.driftPricePerSec !== 0 && parameters.sigmaPerSqrtSec === 0)
      throw new InvalidParameterError({
        field: 'sigmaPerSqrtSec',
        value: 0,
        rule: '> 0 when driftPricePerSec ≠ 0',
        next: 'pass a positive sigmaPerSqrtSec: the drift term of the closed form is μ/(γσ²)·C.',
      })
  }
  if (parameters.impactPricePerFill !== undefined)
    assertNonNegative('impactPricePerFill', parameters.impactPricePerFill)
}
