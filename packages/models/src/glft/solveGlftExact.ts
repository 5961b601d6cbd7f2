import { GlftPrecisionLossError } from '../errors/glft.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { assertNonNegative } from '../internal/assert.js'
import { eighSymmetricTridiagonal } from '../internal/linalg/eighSymmetricTridiagonal.js'
import type { QuoteFlags } from '../quote/quoteFlags.js'
import { buildGlftMatrix, type GlftExactParameters, type GlftMatrix } from './buildGlftMatrix.js'
import { propagateGroundStateChain } from './propagateGroundStateChain.js'

/**
 * Largest accepted estimated relative error of an entry v_q of the value vector. A quote (1/k)·ln(v_q/v_{q±1}) is then
 * off by at most about 2·10⁻⁶/k price units; beyond it {@link GlftPrecisionLossError} is thrown.
 */
export const GLFT_EXACT_RELATIVE_TOLERANCE = 1e-6

/** Optimal quotes at one inventory. `null` marks a side the model does not quote (bid at q = Q, ask at q = −Q). */
export type GlftQuote = {
  /** q, lots. */
  readonly inventoryLots: number
  /** δᵇ*(t, q), price units below the mid; `null` at q = Q. */
  readonly bidDepthPrice: number | null
  /** δᵃ*(t, q), price units above the mid; `null` at q = −Q. */
  readonly askDepthPrice: number | null
  /** ψ* = δᵇ* + δᵃ*, price units; `null` at |q| = Q. */
  readonly spreadPrice: number | null
  /**
   * The flags every model reports ({@link QuoteFlags}): a negative depth crosses the mid; `…Quoted` is false on the
   * side the model does not quote (`null` depth). No mid is known here, so `…PriceNonPositive` is false: check
   * mid − δᵇ with {@link applyDepthQuotePolicy} and `midPrice` when quoting, which also applies the shared policy.
   */
  readonly flags: Readonly<QuoteFlags>
}

function tableFlags(bidDepthPrice: number | null, askDepthPrice: number | null): Readonly<QuoteFlags> {
  return Object.freeze({
    bidCrossesMid: bidDepthPrice !== null && bidDepthPrice < 0,
    askCrossesMid: askDepthPrice !== null && askDepthPrice < 0,
    bidPriceNonPositive: false,
    askPriceNonPositive: false,
    bidQuoted: bidDepthPrice !== null,
    askQuoted: askDepthPrice !== null,
  })
}

/** Quotes for every q = −Q…Q at one time to horizon (`quotes[q + Q]`). */
export type GlftQuoteTable = {
  /** T − t, seconds; `Infinity` for the T → ∞ asymptotic table. */
  readonly timeToHorizonSec: number
  readonly quotes: readonly GlftQuote[]
}

/** A solved GLFT model: the eigen-decomposition is done once, every query reuses it. */
export type GlftExactSolution = {
  readonly parameters: Readonly<GlftExactParameters>
  readonly matrix: GlftMatrix
  /** Eigenvalues of M, ascending, per second. */
  readonly eigenvalues: Float64Array
  /**
   * v(t) = exp(−M(T−t))·v(T) up to a positive factor (the shift by λ_min; only ratios matter), scaled so its largest
   * entry is 1; index q + Q. O(Q²). From the eigen route and not guarded: entries many orders of magnitude below 1 may
   * carry rounding error (the quote methods check this and switch routes or throw).
   */
  getValueVector(timeToHorizonSec: number): Float64Array
  /** Quotes at one inventory q ∈ [−Q, Q] (integer lots) and T − t ≥ 0 seconds. O(Q²). */
  getQuote(timeToHorizonSec: number, inventoryLots: number): GlftQuote
  /** Quotes at every inventory for one T − t ≥ 0 seconds. O(Q²). */
  getQuoteTable(timeToHorizonSec: number): GlftQuoteTable
  /** {@link getQuoteTable} for several times to horizon (seconds), in the given order. */
  getQuoteTables(timesToHorizonSec: readonly number[]): GlftQuoteTable[]
  /**
   * T → ∞ quotes from the positive eigenvector of the smallest eigenvalue (GLFT Thm 2), as ratios by a twisted
   * recurrence (accurate for any Q, no underflow). O(Q), cached.
   */
  getAsymptoticQuoteTable(): GlftQuoteTable
}

export type SolveGlftExactErrorType =
  | import('../errors/parameter.js').InvalidParameterErrorType
  | import('../errors/glft.js').GlftPrecisionLossErrorType
  | import('../errors/glft.js').EigenSolverConvergenceErrorType

/**
 * Exact bounded-inventory GLFT solution (GLFT 2013 Props 1–2, Thm 1; §5 drift/impact). With M = VΛVᵀ (symmetric
 * tridiagonal, eigen-decomposed once by implicit QL),
 *
 *   v(t) ∝ V · exp(−(Λ − λ_min)(T − t)) · Vᵀ · v(T),
 *
 * where the shift by λ_min removes the common factor e^{−λ_min(T−t)} (no overflow or underflow at any horizon; only
 * ratios enter the quotes). Then δᵇ*(t,q) = (1/k)·ln(v_q/v_{q+1}) + (1/γ)·ln(1+γ/k) + ξ/2 for q ≠ Q and
 * δᵃ*(t,q) = (1/k)·ln(v_q/v_{q−1}) + (1/γ)·ln(1+γ/k) + ξ/2 for q ≠ −Q.
 *
 * The QL vector of λ_min is replaced by the ground state from a twisted ratio recurrence (accurate entry by entry).
 * Every query estimates the rounding error of the entries it uses (the other modes: about n·ε·‖M‖·min(T−t, 1/gap)
 * relative to the largest entry); where that is not good enough it recomputes the table by the entry-wise accurate
 * ground-state chain route ({@link propagateGroundStateChain}), and if that fails too it throws
 * {@link GlftPrecisionLossError} instead of returning a quote whose v_q cannot be trusted.
 */
export function solveGlftExact(parameters: GlftExactParameters): GlftExactSolution {
  const matrix = buildGlftMatrix(parameters)
  const frozen = Object.freeze({ ...parameters })
  const bound = matrix.maxInventoryLots
  const n = 2 * bound + 1
  const { eigenvalues, eigenvectors } = eighSymmetricTridiagonal(matrix.diagonal, matrix.offDiagonal)
  const lambdaMin = eigenvalues[0]!
  const norm = Math.max(Math.abs(lambdaMin), Math.abs(eigenvalues[n - 1]!))
  const gap = eigenvalues[1]! - lambdaMin
  const invK = 1 / parameters.kPerPrice
  const baseDepth = matrix.baseDepthPrice
  const eta = matrix.etaPerSec
  // Ground state: ln(f_i/f_{i+1}) by the twisted recurrence (relative accuracy), then f itself, positive, unit norm.
  const groundState = groundStateLogRatios()
  const groundLogRatio = groundState.logRatio
  const ground = new Float64Array(n)
  {
    let logF = 0
    let maxLogF = 0
    for (let i = 0; i < n - 1; i++) {
      logF -= groundLogRatio[i]!
      if (logF > maxLogF) maxLogF = logF
    }
    logF = 0
    let sumSquares = 0
    for (let i = 0; i < n; i++) {
      if (i > 0) logF -= groundLogRatio[i - 1]!
      const value = Math.exp(logF - maxLogF)
      ground[i] = value
      sumSquares += value * value
    }
    const scale = 1 / Math.sqrt(sumSquares)
    for (let i = 0; i < n; i++) ground[i] = ground[i]! * scale
  }
  // The QL vector of λ_min is accurate only relative to the largest entry; use the recurrence's in its place.
  eigenvectors.set(ground, 0)
  // Relative error of each ground-state entry: the ratio errors summed from the twist index outwards.
  const groundEntryError = new Float64Array(n)
  for (let i = groundState.twist - 1; i >= 0; i--)
    groundEntryError[i] = groundEntryError[i + 1]! + groundState.logRatioError[i]!
  for (let i = groundState.twist + 1; i < n; i++)
    groundEntryError[i] = groundEntryError[i - 1]! + groundState.logRatioError[i - 1]!
  let groundRatioError = 0
  for (const error of groundState.logRatioError) groundRatioError = Math.max(groundRatioError, error)
  // Coefficients of v(T) in the eigenbasis: c_j = V_jᵀ v(T).
  const coefficients = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    let sum = 0
    const row = j * n
    for (let i = 0; i < n; i++) sum += eigenvectors[row + i]! * matrix.terminal[i]!
    coefficients[j] = sum
  }

  /** Scaled v (max 1), the absolute error of the non-ground modes, and the ground-state weight (same scale). */
  type Evaluated = { values: Float64Array; absoluteError: number; groundWeight: number }
  /** ln(v_i/v_{i+1}) and the estimated relative error of each v_i used. */
  type ValueRatios = { ratios: Float64Array; entryError: Float64Array }

  function evaluate(timeToHorizonSec: number): Evaluated {
    assertNonNegative('timeToHorizonSec', timeToHorizonSec)
    const values = new Float64Array(n)
    const groundWeight = coefficients[0]!
    for (let i = 0; i < n; i++) values[i] = groundWeight * ground[i]!
    let otherWeightSum = 0
    for (let j = 1; j < n; j++) {
      const weight = Math.exp(-(eigenvalues[j]! - lambdaMin) * timeToHorizonSec) * coefficients[j]!
      if (weight === 0) continue
      otherWeightSum += Math.abs(weight)
      const row = j * n
      for (let i = 0; i < n; i++) values[i] = values[i]! + weight * eigenvectors[row + i]!
    }
    // Backward-stable QL: the other modes carry an absolute error ~ n·ε·(1 + ‖M‖·min(T−t, 1/gap)) of their weight.
    const horizonFactor = gap > 0 ? Math.min(timeToHorizonSec, 1 / gap) : timeToHorizonSec
    const absoluteError = 4 * n * Number.EPSILON * (1 + norm * horizonFactor) * otherWeightSum
    let max = 0
    for (let i = 0; i < n; i++) if (values[i]! > max) max = values[i]!
    if (!(max > 0)) return { values, absoluteError: Number.POSITIVE_INFINITY, groundWeight }
    for (let i = 0; i < n; i++) values[i] = values[i]! / max
    return { values, absoluteError: absoluteError / max, groundWeight: groundWeight / max }
  }

  /**
   * ln(f_i/f_{i+1}) for the positive eigenvector f of λ_min by a twisted three-term recurrence instead of from the QL
   * eigenvector: row i of (M − λI)f = 0 reads (d_i − λ)f_i = η(f_{i−1} + f_{i+1}), so
   * a_i = f_{i+1}/f_i = (d_i − λ)/η − 1/a_{i−1} from the top edge and b_i = f_{i−1}/f_i = (d_i − λ)/η − 1/b_{i+1} from
   * the bottom edge. Each runs in its growing (stable) direction; they meet at the twist index r where the residual of
   * row r is smallest (the MRRR twisted-factorisation idea). Only ratios are formed, so f may span e^{±1000} without
   * underflow, and each ratio keeps relative accuracy where the QL eigenvector has only absolute accuracy.
   */
  function groundStateLogRatios(): { logRatio: Float64Array; logRatioError: Float64Array; twist: number } {
    const d = matrix.diagonal
    const eps = Number.EPSILON
    // QL's λ_min is exact for a matrix within a few n·ε·‖M‖: its absolute error enters every (d_i − λ)/η.
    const lambdaError = 4 * n * eps * norm
    const left = new Float64Array(n) // left[i] = a_i = f_{i+1}/f_i
    const leftError = new Float64Array(n) // absolute error bound of a_i (first-order running error analysis)
    const right = new Float64Array(n) // right[i] = b_i = f_{i−1}/f_i
    const rightError = new Float64Array(n)
    const termError = (i: number) =>
      (lambdaError + eps * (Math.abs(d[i]!) + Math.abs(lambdaMin))) / eta + eps * Math.abs((d[i]! - lambdaMin) / eta)
    let leftValid = n - 1 // a_0…a_{leftValid−1} are > 0
    for (let i = 0; i < n - 1; i++) {
      const previous = i === 0 ? Number.POSITIVE_INFINITY : left[i - 1]!
      const a = (d[i]! - lambdaMin) / eta - 1 / previous
      if (!(a > 0 && Number.isFinite(a))) {
        leftValid = i
        break
      }
      left[i] = a
      leftError[i] = termError(i) + eps * a + (i === 0 ? 0 : eps / previous + leftError[i - 1]! / (previous * previous))
    }
    let rightValid = 1 // b_{rightValid}…b_{n−1} are > 0
    for (let i = n - 1; i > 0; i--) {
      const previous = i === n - 1 ? Number.POSITIVE_INFINITY : right[i + 1]!
      const b = (d[i]! - lambdaMin) / eta - 1 / previous
      if (!(b > 0 && Number.isFinite(b))) {
        rightValid = i + 1
        break
      }
      right[i] = b
      rightError[i] =
        termError(i) + eps * b + (i === n - 1 ? 0 : eps / previous + rightError[i + 1]! / (previous * previous))
    }
    // Twist r needs a_0…a_{r−1} (r ≤ leftValid) and b_{r+1}…b_{n−1} (r ≥ rightValid − 1).
    let twist = -1
    let best = Number.POSITIVE_INFINITY
    for (let r = Math.max(0, rightValid - 1); r <= Math.min(n - 1, leftValid); r++) {
      const fromLeft = r === 0 ? 0 : 1 / left[r - 1]!
      const fromRight = r === n - 1 ? 0 : 1 / right[r + 1]!
      const residual = Math.abs((d[r]! - lambdaMin) / eta - fromLeft - fromRight)
      if (residual < best) {
        best = residual
        twist = r
      }
    }
    if (twist < 0)
      throw new GlftPrecisionLossError({
        inventoryLots: Math.min(leftValid, rightValid) - bound,
        relativeErrorBound: Number.POSITIVE_INFINITY,
        tolerance: GLFT_EXACT_RELATIVE_TOLERANCE,
      })
    const logRatio = new Float64Array(n - 1)
    const logRatioError = new Float64Array(n - 1) // = relative error of the ratio
    for (let i = 0; i < n - 1; i++) {
      if (i < twist) {
        logRatio[i] = -Math.log(left[i]!)
        logRatioError[i] = leftError[i]! / left[i]! + eps
      } else {
        logRatio[i] = Math.log(right[i + 1]!)
        logRatioError[i] = rightError[i + 1]! / right[i + 1]! + eps
      }
    }
    return { logRatio, logRatioError, twist }
  }

  let asymptotic: GlftQuoteTable | undefined
  /** T → ∞ table straight from the ground-state log-ratios (GLFT Thm 2): no f_q is formed, so nothing underflows. */
  function asymptoticTable(): GlftQuoteTable {
    if (asymptotic !== undefined) return asymptotic
    const quotes: GlftQuote[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const bidDepthPrice = i < n - 1 ? baseDepth + invK * groundLogRatio[i]! : null
      const askDepthPrice = i > 0 ? baseDepth - invK * groundLogRatio[i - 1]! : null
      const spreadPrice = bidDepthPrice !== null && askDepthPrice !== null ? bidDepthPrice + askDepthPrice : null
      quotes[i] = Object.freeze({
        inventoryLots: i - bound,
        bidDepthPrice,
        askDepthPrice,
        spreadPrice,
        flags: tableFlags(bidDepthPrice, askDepthPrice),
      })
    }
    asymptotic = Object.freeze({ timeToHorizonSec: Number.POSITIVE_INFINITY, quotes: Object.freeze(quotes) })
    return asymptotic
  }

  /**
   * The first entry in [from, to] whose estimated relative error exceeds the tolerance, as an error; else null. Each
   * entry's bound is written to `bounds`.
   */
  function checkEntries(
    evaluated: Evaluated,
    from: number,
    to: number,
    bounds: Float64Array,
  ): GlftPrecisionLossError | null {
    for (let index = from; index <= to; index++) {
      const value = evaluated.values[index]!
      const error =
        evaluated.absoluteError +
        (groundEntryError[index]! + 4 * Number.EPSILON) * Math.abs(evaluated.groundWeight) * ground[index]!
      const relativeErrorBound = value > 0 ? error / value : Number.POSITIVE_INFINITY
      bounds[index] = relativeErrorBound
      if (!(relativeErrorBound <= GLFT_EXACT_RELATIVE_TOLERANCE))
        return new GlftPrecisionLossError({
          inventoryLots: index - bound,
          relativeErrorBound,
          tolerance: GLFT_EXACT_RELATIVE_TOLERANCE,
        })
    }
    return null
  }

  /**
   * ln(v_i/v_{i+1}) at T − t for the entries i ∈ [from, to] (other slots unset): from the eigen route when its error
   * bound holds for every entry used, otherwise from the entry-wise accurate chain route; if neither is accurate
   * enough, the eigen route's GlftPrecisionLossError is thrown (the chain route's failure, if any, as its cause).
   */
  function logValueRatios(timeToHorizonSec: number, from: number, to: number): ValueRatios {
    const entryError = new Float64Array(n)
    if (timeToHorizonSec === 0) {
      // v(T) is the terminal condition itself: its log-ratios are exact (no eigen sum to round).
      const ratios = new Float64Array(n - 1)
      for (let i = from; i < to; i++) ratios[i] = matrix.logTerminal[i]! - matrix.logTerminal[i + 1]!
      return { ratios, entryError }
    }
    const evaluated = evaluate(timeToHorizonSec)
    const failure = checkEntries(evaluated, from, to, entryError)
    if (failure === null) {
      const ratios = new Float64Array(n - 1)
      for (let i = from; i < to; i++) ratios[i] = Math.log(evaluated.values[i]! / evaluated.values[i + 1]!)
      return { ratios, entryError }
    }
    let chain: ReturnType<typeof propagateGroundStateChain>
    try {
      chain = propagateGroundStateChain({
        groundLogRatios: groundLogRatio,
        etaPerSec: eta,
        logTerminal: matrix.logTerminal,
        timeToHorizonSec,
        groundRelativeError: groundRatioError,
        tolerance: GLFT_EXACT_RELATIVE_TOLERANCE,
      })
    } catch (error) {
      if (error instanceof GlftPrecisionLossError) throw failure.withCause(error)
      throw error
    }
    if (!(chain.relativeErrorBound <= GLFT_EXACT_RELATIVE_TOLERANCE)) throw failure
    entryError.fill(chain.relativeErrorBound)
    return { ratios: chain.logValueRatios, entryError }
  }

  function quoteAt({ ratios, entryError }: ValueRatios, index: number, timeToHorizonSec: number): GlftQuote {
    const bidDepthPrice = index < n - 1 ? baseDepth + invK * ratios[index]! : null
    const askDepthPrice = index > 0 ? baseDepth - invK * ratios[index - 1]! : null
    const spreadPrice = bidDepthPrice !== null && askDepthPrice !== null ? bidDepthPrice + askDepthPrice : null
    // A depth is (1/k)·ln(v_q/v_{q±1}): the relative rounding of v (at least a few ε) is multiplied by 1/k in price
    // units. With γ/k ≳ 1e12 that alone exceeds the tolerance of the quote (asymmetric or sign-flipped quotes).
    // (Each eigen-route bound already includes a few ε; the T − t = 0 ratios are exact, with a bound of 0.)
    const bidError = bidDepthPrice === null ? 0 : invK * (entryError[index]! + entryError[index + 1]!)
    const askError = askDepthPrice === null ? 0 : invK * (entryError[index]! + entryError[index - 1]!)
    const scale = Math.max(Math.abs(bidDepthPrice ?? 0), Math.abs(askDepthPrice ?? 0))
    if (!(bidError + askError <= GLFT_EXACT_RELATIVE_TOLERANCE * scale))
      throw new InvalidParameterError({
        field: 'kPerPrice',
        value: parameters.kPerPrice,
        rule: `large enough that the quotes (1/k)·ln(v_q/v_{q±1}) keep a relative accuracy of ${GLFT_EXACT_RELATIVE_TOLERANCE} (at inventoryLots ${index - bound}, T − t = ${timeToHorizonSec}: error up to ${(bidError + askError).toExponential(2)} on depths of ${scale.toExponential(2)}; γ/k = ${(parameters.gammaPerPrice / parameters.kPerPrice).toExponential(2)})`,
        next: 'quote in a coarser price unit (k per price unit grows with it) or lower gammaPerPrice.',
      })
    return Object.freeze({
      inventoryLots: index - bound,
      bidDepthPrice,
      askDepthPrice,
      spreadPrice,
      flags: tableFlags(bidDepthPrice, askDepthPrice),
    })
  }

  function table(timeToHorizonSec: number): GlftQuoteTable {
    const ratios = logValueRatios(timeToHorizonSec, 0, n - 1)
    const quotes: GlftQuote[] = new Array(n)
    for (let i = 0; i < n; i++) quotes[i] = quoteAt(ratios, i, timeToHorizonSec)
    return Object.freeze({ timeToHorizonSec, quotes: Object.freeze(quotes) })
  }

  // Callers get copies: typed arrays cannot be frozen, and the solver keeps using its own.
  const exposedMatrix: GlftMatrix = Object.freeze({
    ...matrix,
    diagonal: matrix.diagonal.slice(),
    offDiagonal: matrix.offDiagonal.slice(),
    terminal: matrix.terminal.slice(),
    logTerminal: matrix.logTerminal.slice(),
  })
  return Object.freeze({
    parameters: frozen,
    matrix: exposedMatrix,
    eigenvalues: eigenvalues.slice(),
    getValueVector(timeToHorizonSec: number): Float64Array {
      return evaluate(timeToHorizonSec).values
    },
    getQuote(timeToHorizonSec: number, inventoryLots: number): GlftQuote {
      if (!Number.isInteger(inventoryLots) || Math.abs(inventoryLots) > bound)
        throw new InvalidParameterError({
          field: 'inventoryLots',
          value: inventoryLots,
          rule: `an integer in [${-bound}, ${bound}]`,
        })
      const index = inventoryLots + bound
      const ratios = logValueRatios(timeToHorizonSec, Math.max(0, index - 1), Math.min(n - 1, index + 1))
      return quoteAt(ratios, index, timeToHorizonSec)
    },
    getQuoteTable(timeToHorizonSec: number): GlftQuoteTable {
      return table(timeToHorizonSec)
    },
    getQuoteTables(timesToHorizonSec: readonly number[]): GlftQuoteTable[] {
      if (!Array.isArray(timesToHorizonSec))
        throw new InvalidParameterError({ field: 'timesToHorizonSec', value: timesToHorizonSec, rule: 'an array' })
      return timesToHorizonSec.map((tau, i) => {
        if (typeof tau !== 'number' || !Number.isFinite(tau) || tau < 0)
          throw new InvalidParameterError({ field: `timesToHorizonSec[${i}]`, value: tau, rule: '>= 0' })
        return table(tau)
      })
    },
    getAsymptoticQuoteTable(): GlftQuoteTable {
      return asymptoticTable()
    },
  })
}
