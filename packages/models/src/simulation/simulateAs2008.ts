import { computeAsQuoteInto } from '../as/computeAsQuoteInto.js'
import { computeAsSpread } from '../as/computeAsSpread.js'
import { createAsQuote } from '../as/createAsQuote.js'
import type { AsQuoteParameters } from '../as/types.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { assertInteger, assertNonNegative, assertPositive } from '../internal/assert.js'
import { createRandom } from '../internal/random.js'
import { AS2008_PAPER_PARAMETERS } from './as2008PaperParameters.js'

export type SimulateAs2008Parameters = {
  /** γ, risk aversion, per price unit (the paper's tables use 0.1, 0.01 and 1). */
  gammaPerPrice: number
  /** Seed of the xoshiro128** generator (any 32-bit integer). The same seed always gives the same result. */
  seed: number
  /** Paths; 1000 in the paper. */
  paths?: number | undefined
  /** s₀, price units; 100. */
  initialMidPrice?: number | undefined
  /** T, time units; 1. */
  horizonTime?: number | undefined
  /** σ, price units per √(time unit); 2. */
  sigmaPerSqrtTime?: number | undefined
  /** dt, time units; 0.005. T / dt must be a whole number of steps. */
  timeStep?: number | undefined
  /** A, fills per time unit at zero depth; 140. */
  intensityPerTime?: number | undefined
  /** k, per price unit; 1.5. */
  kPerPrice?: number | undefined
  /** q₀, order sizes (an integer); 0. */
  initialQ?: number | undefined
  /**
   * Fill probability of a quote at depth δ over one step: `'clippedLinear'` (default, the paper's procedure and the
   * one that reproduces its tables) = min(1, A·e^(−kδ)·dt); `'poisson'` = 1 − e^(−A·e^(−kδ)·dt), the exact probability
   * of at least one Poisson arrival, which lowers profits by about 11 % (docs/models.md, "The AS 2008 reproduction").
   */
  fillProbability?: 'clippedLinear' | 'poisson' | undefined
}

/** Statistics of one strategy over all paths (sample standard deviations, n − 1). */
export type As2008StrategyResult = {
  /** Time average of the quoted spread δᵃ + δᵇ, price units. */
  averageSpread: number
  /** Mean of the terminal profit X_T + q_T·S_T, price units. */
  meanProfit: number
  stdProfit: number
  /** Mean terminal inventory q_T, order sizes. */
  meanFinalQ: number
  stdFinalQ: number
}

export type As2008SimulationResult = {
  gammaPerPrice: number
  seed: number
  paths: number
  steps: number
  /** AS quotes around the reservation price (computeAsQuoteInto, crossing policy 'report'). */
  inventory: As2008StrategyResult
  /** The inventory strategy's average spread, centred on the mid. */
  symmetric: As2008StrategyResult
}

/** What simulateAs2008 can throw. */
export type SimulateAs2008ErrorType = import('../errors/parameter.js').InvalidParameterErrorType

/**
 * Seeded Monte Carlo of the AS 2008 §3.3 simulation (docs/models.md, "The AS 2008 reproduction"), both strategies:
 * at each step t = i·dt (i = 0 … N−1) the quotes are computed from (s, q, T − t); the ask fills with probability
 * min(1, A·e^(−k·δᵃ)·dt) (q −= 1, X += s + δᵃ) and, independently, the bid with min(1, A·e^(−k·δᵇ)·dt)
 * (q += 1, X −= s − δᵇ); then the mid moves by ±σ√dt with probability ½ each. Profit = X_T + q_T·S_T.
 * The inventory strategy quotes `computeAsQuoteInto` (depths from the mid; a depth below zero is kept, its fill
 * probability clips to 1). The symmetric strategy quotes ± half the inventory strategy's time-averaged spread around s.
 * Both strategies draw the same three uniforms per step from one stream (common random numbers: same mid paths).
 * Pure and deterministic: no clock, no Math.random.
 *
 * @throws InvalidParameterError naming the bad field and value.
 */
export function simulateAs2008(parameters: SimulateAs2008Parameters): As2008SimulationResult {
  const d = AS2008_PAPER_PARAMETERS
  const p: Resolved = {
    gammaPerPrice: parameters.gammaPerPrice,
    seed: parameters.seed,
    paths: parameters.paths ?? d.paths,
    initialMidPrice: parameters.initialMidPrice ?? d.initialMidPrice,
    horizonTime: parameters.horizonTime ?? d.horizonTime,
    sigmaPerSqrtTime: parameters.sigmaPerSqrtTime ?? d.sigmaPerSqrtTime,
    timeStep: parameters.timeStep ?? d.timeStep,
    intensityPerTime: parameters.intensityPerTime ?? d.intensityPerTime,
    kPerPrice: parameters.kPerPrice ?? d.kPerPrice,
    initialQ: parameters.initialQ ?? d.initialQ,
  }
  const fillProbability = parameters.fillProbability ?? 'clippedLinear'
  if (fillProbability !== 'clippedLinear' && fillProbability !== 'poisson')
    throw new InvalidParameterError({
      field: 'fillProbability',
      value: fillProbability,
      rule: "'clippedLinear' or 'poisson'",
    })
  assertPositive('gammaPerPrice', p.gammaPerPrice)
  assertInteger('seed', p.seed, -(2 ** 31))
  assertInteger('paths', p.paths, 2)
  assertPositive('initialMidPrice', p.initialMidPrice)
  assertPositive('horizonTime', p.horizonTime)
  assertNonNegative('sigmaPerSqrtTime', p.sigmaPerSqrtTime)
  assertPositive('timeStep', p.timeStep)
  assertNonNegative('intensityPerTime', p.intensityPerTime)
  assertPositive('kPerPrice', p.kPerPrice)
  assertInteger('initialQ', p.initialQ, Number.MIN_SAFE_INTEGER)
  const steps = Math.round(p.horizonTime / p.timeStep)
  if (steps < 1 || Math.abs(steps * p.timeStep - p.horizonTime) > 1e-9 * p.horizonTime)
    throw new InvalidParameterError({
      field: 'timeStep',
      value: p.timeStep,
      rule: `a divisor of horizonTime (${p.horizonTime})`,
    })

  // The spread does not depend on q, so its time average over the quoting instants is deterministic.
  let spreadSum = 0
  for (let i = 0; i < steps; i++)
    spreadSum += computeAsSpread({
      gammaPerPrice: p.gammaPerPrice,
      sigmaPerSqrtTime: p.sigmaPerSqrtTime,
      kPerPrice: p.kPerPrice,
      timeToHorizon: (steps - i) * p.timeStep,
    })
  const averageSpread = spreadSum / steps

  const poisson = fillProbability === 'poisson'
  const inventory = runStrategy(p, steps, averageSpread, 'inventory', poisson)
  const symmetric = runStrategy(p, steps, averageSpread, 'symmetric', poisson)
  return { gammaPerPrice: p.gammaPerPrice, seed: p.seed, paths: p.paths, steps, inventory, symmetric }
}

type Resolved = { [K in Exclude<keyof SimulateAs2008Parameters, 'fillProbability'>]-?: number }

function runStrategy(
  p: Resolved,
  steps: number,
  averageSpread: number,
  strategy: 'inventory' | 'symmetric',
  poisson: boolean,
): As2008StrategyResult {
  const random = createRandom(p.seed)
  const dt = p.timeStep
  const dsUp = p.sigmaPerSqrtTime * Math.sqrt(dt)
  const aDt = p.intensityPerTime * dt
  const k = p.kPerPrice
  const halfSymmetric = averageSpread / 2
  const quote = createAsQuote()
  const input: AsQuoteParameters = {
    midPrice: p.initialMidPrice,
    q: p.initialQ,
    gammaPerPrice: p.gammaPerPrice,
    sigmaPerSqrtTime: p.sigmaPerSqrtTime,
    kPerPrice: k,
    timeToHorizon: p.horizonTime,
  }
  const profits = new Float64Array(p.paths)
  const finalQs = new Float64Array(p.paths)
  let quotedSpreadSum = 0
  for (let path = 0; path < p.paths; path++) {
    let s: number = p.initialMidPrice
    let q: number = p.initialQ
    let x = 0
    for (let i = 0; i < steps; i++) {
      let bidDepth: number
      let askDepth: number
      if (strategy === 'inventory') {
        input.midPrice = s
        input.q = q
        input.timeToHorizon = (steps - i) * dt
        computeAsQuoteInto(quote, input)
        bidDepth = quote.bidDepth
        askDepth = quote.askDepth
      } else {
        bidDepth = halfSymmetric
        askDepth = halfSymmetric
      }
      quotedSpreadSum += bidDepth + askDepth
      const uAsk = random.nextFloat()
      const uBid = random.nextFloat()
      const uMid = random.nextFloat()
      const askRate = aDt * Math.exp(-k * askDepth)
      const bidRate = aDt * Math.exp(-k * bidDepth)
      if (uAsk < (poisson ? -Math.expm1(-askRate) : Math.min(1, askRate))) {
        q -= 1
        x += s + askDepth
      }
      if (uBid < (poisson ? -Math.expm1(-bidRate) : Math.min(1, bidRate))) {
        q += 1
        x -= s - bidDepth
      }
      s += uMid < 0.5 ? dsUp : -dsUp
    }
    profits[path] = x + q * s
    finalQs[path] = q
  }
  const profit = meanAndStd(profits)
  const finalQ = meanAndStd(finalQs)
  return {
    averageSpread: quotedSpreadSum / (p.paths * steps),
    meanProfit: profit.mean,
    stdProfit: profit.std,
    meanFinalQ: finalQ.mean,
    stdFinalQ: finalQ.std,
  }
}

/** Mean and sample standard deviation (n − 1), two-pass. */
function meanAndStd(values: Float64Array): { mean: number; std: number } {
  let sum = 0
  for (const v of values) sum += v
  const mean = sum / values.length
  let squares = 0
  for (const v of values) squares += (v - mean) * (v - mean)
  return { mean, std: Math.sqrt(squares / (values.length - 1)) }
}
