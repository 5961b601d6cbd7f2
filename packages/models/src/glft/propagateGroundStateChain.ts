import { GlftPrecisionLossError } from '../errors/glft.js'

/** Largest total work (chunks × series terms × states) accepted before giving up, about 10 ms of arithmetic. */
const MAX_WORK = 5e6
/** Largest dynamic range of u(T) = v(T)/f, as a natural log, that a double holds with room to spare. */
const MAX_LOG_RANGE = 1300
/** Poisson mean per chunk: small enough that e^{−x} never underflows and the series needs few terms. */
const CHUNK_MEAN = 4
const MAX_TERMS = 200

export type PropagateGroundStateChainParameters = {
  /** ln(f_i/f_{i+1}) of the positive ground state f of M, i = 0…n−2. */
  groundLogRatios: Float64Array
  /** η (with the impact factor), per second: M's off-diagonal is −η. */
  etaPerSec: number
  /** ln v(T), length n (finite). */
  logTerminal: Float64Array
  /** T − t ≥ 0, seconds. */
  timeToHorizonSec: number
  /** Relative error of the ground-state ratios (dimensionless), for the error estimate. */
  groundRelativeError: number
  /** Tolerance reported in a GlftPrecisionLossError (dimensionless). */
  tolerance: number
}

export type PropagateGroundStateChainReturnType = {
  /** ln(v_i(t)/v_{i+1}(t)), i = 0…n−2. */
  logValueRatios: Float64Array
  /** Estimated relative error of every u_i, hence of every v_i (dimensionless). */
  relativeErrorBound: number
}

/**
 * Entry-wise accurate v(t) = exp(−M(T−t))·v(T) for the GLFT matrix, through the ground-state (Doob) transform.
 *
 * With f the positive eigenvector of λ_min and D = diag(f), G = −D⁻¹(M − λ_min)D has off-diagonal rates
 * η·f_{i±1}/f_i ≥ 0 and zero row sums: it is the generator of a birth–death chain, and v = D·u with
 * u(t) = exp(G(T−t))·u(T), u(T) = v(T)/f. exp(Gτ) is computed on the vector by uniformisation in chunks
 * (exp(Gh) = Σ_m Poisson(m; Λh)·P^m, P = I + G/Λ stochastic with P_ii ≥ 1/3): every operation adds non-negative
 * numbers, so each u_i keeps a small relative error however small it is — unlike the eigen route, whose error is
 * relative to the largest entry. Cost O(n·Λ(T−t)); used only where the eigen route's error bound fails.
 *
 * @throws GlftPrecisionLossError when u(T) spans more than e^1300 or the work would exceed the budget.
 */
export function propagateGroundStateChain(
  parameters: PropagateGroundStateChainParameters,
): PropagateGroundStateChainReturnType {
  const { groundLogRatios: logRatio, etaPerSec: eta, logTerminal, timeToHorizonSec: tau } = parameters
  const n = logRatio.length + 1
  const bound = (n - 1) / 2
  const logValueRatios = new Float64Array(n - 1)
  if (tau === 0) {
    // v = v(T) exactly: its log-ratios need no representation of v itself.
    for (let i = 0; i < n - 1; i++) logValueRatios[i] = logTerminal[i]! - logTerminal[i + 1]!
    return { logValueRatios, relativeErrorBound: 4 * Number.EPSILON }
  }
  // ln f_i (max 0) and ln u_i(T) = ln v_i(T) − ln f_i, shifted so the largest is 0.
  const logU = new Float64Array(n)
  let logF = 0
  let maxLogU = Number.NEGATIVE_INFINITY
  for (let i = 0; i < n; i++) {
    if (i > 0) logF -= logRatio[i - 1]!
    logU[i] = logTerminal[i]! - logF
    if (logU[i]! > maxLogU) maxLogU = logU[i]!
  }
  const fail = (index: number) =>
    new GlftPrecisionLossError({
      inventoryLots: index - bound,
      relativeErrorBound: Number.POSITIVE_INFINITY,
      tolerance: parameters.tolerance,
    })
  let u = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const shifted = logU[i]! - maxLogU
    if (!(shifted >= -MAX_LOG_RANGE)) throw fail(i)
    u[i] = Math.exp(shifted)
  }
  // Rates of the chain: up_i = η·f_{i+1}/f_i, down_i = η·f_{i−1}/f_i; total out-rate on the diagonal.
  const up = new Float64Array(n)
  const down = new Float64Array(n)
  let maxOut = 0
  for (let i = 0; i < n; i++) {
    up[i] = i < n - 1 ? eta * Math.exp(-logRatio[i]!) : 0
    down[i] = i > 0 ? eta * Math.exp(logRatio[i - 1]!) : 0
    maxOut = Math.max(maxOut, up[i]! + down[i]!)
  }
  const lambda = 1.5 * maxOut // P_ii ≥ 1/3: the diagonal of P carries no cancellation
  // Errors δ in the rates perturb exp(Gτ) entry-wise by ≲ 2δ·Λτ (non-negative semigroup): known before any work.
  const rateError = 2 * parameters.groundRelativeError * (1 + lambda * tau)
  if (!(rateError <= parameters.tolerance))
    throw new GlftPrecisionLossError({
      inventoryLots: argMin(logU) - bound,
      relativeErrorBound: rateError,
      tolerance: parameters.tolerance,
    })
  const chunks = Math.max(1, Math.ceil((lambda * tau) / CHUNK_MEAN))
  if (chunks * (CHUNK_MEAN + 30) * n > MAX_WORK) throw fail(argMin(logU))
  const mean = (lambda * tau) / chunks
  const stay = new Float64Array(n)
  const moveUp = new Float64Array(n)
  const moveDown = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    moveUp[i] = up[i]! / lambda
    moveDown[i] = down[i]! / lambda
    stay[i] = 1 - (up[i]! + down[i]!) / lambda
  }
  let term = new Float64Array(n)
  let next = new Float64Array(n)
  const sum = new Float64Array(n)
  let maxTerms = 0
  for (let c = 0; c < chunks; c++) {
    let weight = Math.exp(-mean)
    term.set(u)
    for (let i = 0; i < n; i++) sum[i] = weight * u[i]!
    let m = 0
    for (;;) {
      // next = P·term
      for (let i = 0; i < n; i++) {
        let value = stay[i]! * term[i]!
        if (i < n - 1) value += moveUp[i]! * term[i + 1]!
        if (i > 0) value += moveDown[i]! * term[i - 1]!
        next[i] = value
      }
      const swap = term
      term = next
      next = swap
      m++
      weight *= mean / m
      let maxTerm = 0
      let minSum = Number.POSITIVE_INFINITY
      for (let i = 0; i < n; i++) {
        sum[i] = sum[i]! + weight * term[i]!
        if (term[i]! > maxTerm) maxTerm = term[i]!
        if (sum[i]! < minSum) minSum = sum[i]!
      }
      // Poisson tail after m: Σ_{j>m} p_j ≤ p_m·r/(1 − r), r = mean/(m+1); and max(P^j·term) ≤ max(term).
      const r = mean / (m + 1)
      if (r < 0.5 && ((weight * r) / (1 - r)) * maxTerm <= 2 ** -60 * minSum) break
      if (m === MAX_TERMS) throw fail(argMin(logU))
    }
    if (m > maxTerms) maxTerms = m
    let max = 0
    for (let i = 0; i < n; i++) if (sum[i]! > max) max = sum[i]!
    const fresh = new Float64Array(n)
    for (let i = 0; i < n; i++) fresh[i] = sum[i]! / max
    u = fresh
  }
  for (let i = 0; i < n - 1; i++) {
    if (!(u[i]! > 0 && u[i + 1]! > 0)) throw fail(u[i]! > 0 ? i + 1 : i)
    logValueRatios[i] = logRatio[i]! + Math.log(u[i]! / u[i + 1]!)
  }
  // Rounding: ≤ 3ε per P-product, summed over the series and the chunks; plus the rate-error term.
  const relativeErrorBound = Number.EPSILON * chunks * (3 * maxTerms + 4) + rateError
  return { logValueRatios, relativeErrorBound }
}

function argMin(values: Float64Array): number {
  let index = 0
  for (let i = 1; i < values.length; i++) if (values[i]! < values[index]!) index = i
  return index
}
