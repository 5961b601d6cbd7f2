import { InvalidParameterError } from '../errors/parameter.js'
import { assertInteger } from '../internal/assert.js'
import { assertGlftModelParameters, type GlftModelParameters } from './glftParameters.js'

/** Largest inventory bound accepted: the solve is O(Q³) (Q = 1000 is about 2·10¹⁰ flops). */
export const GLFT_MAX_INVENTORY_LOTS_LIMIT = 1000

export type GlftExactParameters = GlftModelParameters & {
  /** Q, the inventory bound in lots (integer ≥ 1): no bid is quoted at q = Q, no ask at q = −Q. */
  maxInventoryLots: number
}

/** The linear system of GLFT Thm 1 (with the §5 drift/impact changes): v̇ = M v, v(T) = terminal. State i ↔ q = i − Q. */
export type GlftMatrix = {
  /** Q, lots. */
  readonly maxInventoryLots: number
  /** α = (k/2)·γ·σ², per second per lot². */
  readonly alphaPerSec: number
  /** η·e^{−kξ/2} with η = A·(1 + γ/k)^{−(1+k/γ)}, per second (ξ = impact per fill). */
  readonly etaPerSec: number
  /** Diagonal of M, αq² − kμq for q = −Q…Q (index q + Q), per second. */
  readonly diagonal: Float64Array
  /** Off-diagonal of M, all −η·e^{−kξ/2} (length 2Q), per second. */
  readonly offDiagonal: Float64Array
  /** v_q(T) = exp(−k·ξ·q²/2) (all 1 without impact), index q + Q; may underflow to 0 for large k·ξ·Q². */
  readonly terminal: Float64Array
  /** ln v_q(T) = −k·ξ·q²/2, index q + Q (never underflows). */
  readonly logTerminal: Float64Array
  /** (1/γ)·ln(1 + γ/k) + ξ/2, price units: the depth added to (1/k)·ln(v_q/v_{q±1}). */
  readonly baseDepthPrice: number
}

export type BuildGlftMatrixErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * Builds the (2Q+1)×(2Q+1) symmetric tridiagonal M of GLFT 2013 Thm 1: diagonal αq², off-diagonal −η; with a drift μ
 * the diagonal is αq² − βq, β = kμ; with an impact ξ per fill η becomes η·e^{−kξ/2} and v_q(T) = e^{−kξq²/2}.
 */
export function buildGlftMatrix(parameters: GlftExactParameters): GlftMatrix {
  assertGlftModelParameters(parameters)
  if ((parameters.makerFeePrice ?? 0) !== 0)
    throw new InvalidParameterError({
      field: 'makerFeePrice',
      value: parameters.makerFeePrice,
      rule: '0 or omitted in the exact solution (only computeGlftApproxQuotes models the maker fee)',
      next: 'quote from computeGlftApproxQuotes, or add the fee to the depths yourself (A·e^{−kφ} in aPerSec).',
    })
  assertInteger('maxInventoryLots', parameters.maxInventoryLots, 1)
  if (parameters.maxInventoryLots > GLFT_MAX_INVENTORY_LOTS_LIMIT)
    throw new InvalidParameterError({
      field: 'maxInventoryLots',
      value: parameters.maxInventoryLots,
      rule: `<= ${GLFT_MAX_INVENTORY_LOTS_LIMIT}`,
      next: 'use a coarser lot (the solve costs O(Q³)).',
    })
  const { gammaPerPrice: gamma, sigmaPerSqrtSec: sigma, aPerSec: a, kPerPrice: k } = parameters
  const drift = parameters.driftPricePerSec ?? 0
  const impact = parameters.impactPricePerFill ?? 0
  const bound = parameters.maxInventoryLots
  const n = 2 * bound + 1
  const y = gamma / k
  const log1pY = Math.log1p(y)
  const ratio = log1pY / y // y = γ/k > 0, so no 0/0
  const alphaPerSec = (k / 2) * gamma * sigma * sigma
  // η = A·(1+y)^{−(1+1/y)} = A·exp(−ln(1+y) − ln(1+y)/y), times the impact factor e^{−kξ/2}.
  const etaPerSec = a * Math.exp(-log1pY - ratio - (k * impact) / 2)
  const beta = k * drift
  const diagonal = new Float64Array(n)
  const terminal = new Float64Array(n)
  const logTerminal = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const q = i - bound
    diagonal[i] = alphaPerSec * q * q - beta * q
    logTerminal[i] = impact === 0 ? 0 : (-k * impact * q * q) / 2
    terminal[i] = Math.exp(logTerminal[i]!)
  }
  const offDiagonal = new Float64Array(n - 1).fill(-etaPerSec)
  return {
    maxInventoryLots: bound,
    alphaPerSec,
    etaPerSec,
    diagonal,
    offDiagonal,
    terminal,
    logTerminal,
    baseDepthPrice: ratio / k + impact / 2,
  }
}
