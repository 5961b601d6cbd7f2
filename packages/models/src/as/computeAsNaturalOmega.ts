import { throwInvalidAsParameter } from './throwInvalidAsParameter.js'
import type { AsModelParameters } from './types.js'

export type ComputeAsNaturalOmegaParameters = Pick<AsModelParameters, 'gammaPerPrice' | 'sigmaPerSqrtTime'> & {
  /** Largest |q| the agent will hold, in units of the order size. Must be ≥ 0 and finite. */
  qMax: number
}

const FIELDS = ['gammaPerPrice', 'sigmaPerSqrtTime', 'qMax'] as const

/** What computeAsNaturalOmega can throw. */
export type ComputeAsNaturalOmegaErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * The "natural choice" of the infinite-horizon discount rate in AS 2008 §2.3: ω = ½·γ²σ²·(qMax + 1)², per time unit.
 * With the printed §2.3 formulas the reservation bid needs ω > ½γ²σ²(q + 1)², so this ω keeps both reservation prices
 * finite for every q in [−qMax − 1, qMax); at q = qMax the reservation bid is −∞ (the model says: stop buying).
 * `computeAsInfiniteHorizonQuote` rejects that boundary with an `InvalidParameterError` naming `omegaPerTime`.
 *
 * @throws InvalidParameterError naming the first field out of its domain.
 */
export function computeAsNaturalOmega(parameters: ComputeAsNaturalOmegaParameters): number {
  const { gammaPerPrice: gamma, sigmaPerSqrtTime: sigma, qMax } = parameters
  if (
    !(
      gamma > 0 &&
      gamma < Number.POSITIVE_INFINITY &&
      sigma >= 0 &&
      sigma < Number.POSITIVE_INFINITY &&
      qMax >= 0 &&
      qMax < Number.POSITIVE_INFINITY
    )
  )
    throwInvalidAsParameter(parameters, FIELDS)
  const n = qMax + 1
  return 0.5 * gamma * gamma * sigma * sigma * n * n
}
