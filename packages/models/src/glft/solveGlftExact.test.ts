import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GlftPrecisionLossError } from '../errors/glft.js'
import { InvalidParameterError } from '../errors/parameter.js'
import { expmDense } from '../internal/linalg/expmDense.js'
import type { GlftExactParameters } from './buildGlftMatrix.js'
import { computeGlftApproxQuotes } from './computeGlftApproxQuotes.js'
import { solveGlftExact } from './solveGlftExact.js'

// GLFT 2013 Figs 1–3 (price unit = tick, time unit = second); the paper's horizon is T = 600 s.
const FIG = { gammaPerPrice: 0.01, sigmaPerSqrtSec: 0.3, aPerSec: 0.9, kPerPrice: 0.3 }
const T = 600
/** (1/γ)·ln(1 + γ/k), written out. */
const c0 = (gamma: number, k: number) => (1 / gamma) * Math.log(1 + gamma / k)

/**
 * Independent route to v(t): build M from the paper's formulas here, take the dense exp(−(M − sI)τ) by Padé(13)
 * scaling and squaring, apply it to v(T). s is a Gershgorin lower bound of the spectrum (not the eigen-solver's λ_min),
 * so the exponent never overflows; the result is normalised to max 1 like the solver's.
 */
function referenceValueVector(p: GlftExactParameters, tau: number): Float64Array {
  const bound = p.maxInventoryLots
  const n = 2 * bound + 1
  const { gammaPerPrice: g, sigmaPerSqrtSec: s, aPerSec: a, kPerPrice: k } = p
  const mu = p.driftPricePerSec ?? 0
  const xi = p.impactPricePerFill ?? 0
  const alpha = (k / 2) * g * s * s
  const eta = a * (1 + g / k) ** -(1 + k / g) * Math.exp((-k * xi) / 2)
  const diagonal = Array.from({ length: n }, (_, i) => alpha * (i - bound) ** 2 - k * mu * (i - bound))
  const shift = Math.min(...diagonal) - 2 * eta
  const dense = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    dense[i * n + i] = -(diagonal[i]! - shift) * tau
    if (i + 1 < n) {
      dense[i * n + i + 1] = eta * tau
      dense[(i + 1) * n + i] = eta * tau
    }
  }
  const e = expmDense(dense, n)
  const terminal = Array.from({ length: n }, (_, i) => Math.exp((-k * xi * (i - bound) ** 2) / 2))
  const v = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let sum = 0
    for (let j = 0; j < n; j++) sum += e[i * n + j]! * terminal[j]!
    v[i] = sum
  }
  const max = Math.max(...v)
  return v.map((x) => x / max)
}

/** Quotes from a value vector by GLFT Props 1–2: c0 + ξ/2 + (1/k)·ln(v_q/v_{q±1}). */
function referenceQuotes(p: GlftExactParameters, v: Float64Array) {
  const base = c0(p.gammaPerPrice, p.kPerPrice) + (p.impactPricePerFill ?? 0) / 2
  const n = v.length
  return Array.from({ length: n }, (_, i) => ({
    bid: i < n - 1 ? base + Math.log(v[i]! / v[i + 1]!) / p.kPerPrice : null,
    ask: i > 0 ? base + Math.log(v[i]! / v[i - 1]!) / p.kPerPrice : null,
  }))
}

const moderate = fc.record({
  gammaPerPrice: fc.double({ min: 1e-3, max: 0.05, noNaN: true }),
  sigmaPerSqrtSec: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
  aPerSec: fc.double({ min: 0.5, max: 2, noNaN: true }),
  kPerPrice: fc.double({ min: 0.2, max: 1, noNaN: true }),
  maxInventoryLots: fc.integer({ min: 1, max: 8 }),
})

describe('solveGlftExact', () => {
  it('agrees with a dense matrix exponential (Padé 13) for Q = 30 and Q = 3, Figs 1–3 parameters', () => {
    for (const bound of [30, 3]) {
      const p = { ...FIG, maxInventoryLots: bound }
      const solution = solveGlftExact(p)
      for (const tau of [0.5, 10, 100, T]) {
        const reference = referenceValueVector(p, tau)
        const v = solution.getValueVector(tau)
        for (let i = 0; i < v.length; i++) expect(Math.abs(v[i]! / reference[i]! - 1)).toBeLessThan(1e-9)
        const expected = referenceQuotes(p, reference)
        const table = solution.getQuoteTable(tau)
        table.quotes.forEach((quote, i) => {
          if (expected[i]!.bid === null) expect(quote.bidDepthPrice).toBeNull()
          else expect(Math.abs(quote.bidDepthPrice! - expected[i]!.bid!)).toBeLessThan(1e-9)
          if (expected[i]!.ask === null) expect(quote.askDepthPrice).toBeNull()
          else expect(Math.abs(quote.askDepthPrice! - expected[i]!.ask!)).toBeLessThan(1e-9)
        })
      }
    }
  })

  it('matches the Q = 1 solution worked out by hand (3 states, even subspace)', () => {
    // Q = 1, no drift/impact: v_{−1} = v_1 = a, v_0 = b, and with τ = T − t: da/dτ = −αa + ηb, db/dτ = 2ηa, a = b = 1
    // at τ = 0. The matrix [[−α, η], [2η, 0]] has eigenvalues λ± = (−α ± s)/2, s = √(α² + 8η²), eigenvectors
    // (η, α + λ±); matching the initial condition gives c+ = (1 − (α + λ−)/η)/s, c− = 1/η − c+.
    // Quotes: δᵇ(0) = δᵃ(0) = c0 + ln(b/a)/k, δᵇ(−1) = δᵃ(1) = c0 + ln(a/b)/k. As τ → ∞, b/a → (α + λ+)/η.
    const alpha = (0.3 / 2) * 0.01 * 0.09
    const eta = 0.9 * (1 + 0.01 / 0.3) ** -(1 + 0.3 / 0.01)
    const s = Math.sqrt(alpha * alpha + 8 * eta * eta)
    const lambdaPlus = (-alpha + s) / 2
    const lambdaMinus = (-alpha - s) / 2
    const cPlus = (1 - (alpha + lambdaMinus) / eta) / s
    const cMinus = 1 / eta - cPlus
    const solution = solveGlftExact({ ...FIG, maxInventoryLots: 1 })
    for (const tau of [0.5, 60, T]) {
      const a = eta * (cPlus * Math.exp(lambdaPlus * tau) + cMinus * Math.exp(lambdaMinus * tau))
      const b =
        cPlus * (alpha + lambdaPlus) * Math.exp(lambdaPlus * tau) +
        cMinus * (alpha + lambdaMinus) * Math.exp(lambdaMinus * tau)
      const inner = c0(0.01, 0.3) + Math.log(b / a) / 0.3
      const outer = c0(0.01, 0.3) + Math.log(a / b) / 0.3
      const table = solution.getQuoteTable(tau).quotes
      expect(table[1]!.bidDepthPrice).toBeCloseTo(inner, 10)
      expect(table[1]!.askDepthPrice).toBeCloseTo(inner, 10)
      expect(table[0]!.bidDepthPrice).toBeCloseTo(outer, 10)
      expect(table[2]!.askDepthPrice).toBeCloseTo(outer, 10)
    }
    const asymptotic = solution.getAsymptoticQuoteTable().quotes
    expect(asymptotic[1]!.bidDepthPrice).toBeCloseTo(c0(0.01, 0.3) + Math.log((alpha + lambdaPlus) / eta) / 0.3, 12)
    expect(asymptotic[0]!.bidDepthPrice).toBeCloseTo(c0(0.01, 0.3) - Math.log((alpha + lambdaPlus) / eta) / 0.3, 12)
    // By hand, α ≈ 1.35e-4 ≪ η ≈ 0.3255: b/a → ≈ √2, so δᵇ∞(0) ≈ c0 + ln(√2)/k = 3.27898 + 1.15525 ≈ 4.434 ticks.
    expect(asymptotic[1]!.bidDepthPrice).toBeCloseTo(4.434, 2)
  })

  it('agrees with the dense exponential with a drift and an impact (GLFT §5)', () => {
    const p = { ...FIG, maxInventoryLots: 10, driftPricePerSec: 0.0005, impactPricePerFill: 0.2 }
    const solution = solveGlftExact(p)
    for (const tau of [1, 60, T]) {
      const reference = referenceValueVector(p, tau)
      const v = solution.getValueVector(tau)
      for (let i = 0; i < v.length; i++) expect(Math.abs(v[i]! / reference[i]! - 1)).toBeLessThan(1e-9)
    }
  })

  it('quotes no bid at q = Q and no ask at q = −Q', () => {
    const solution = solveGlftExact({ ...FIG, maxInventoryLots: 3 })
    for (const table of [solution.getQuoteTable(T), solution.getAsymptoticQuoteTable()]) {
      expect(table.quotes.map((x) => x.inventoryLots)).toEqual([-3, -2, -1, 0, 1, 2, 3])
      expect(table.quotes[6]!.bidDepthPrice).toBeNull()
      expect(table.quotes[6]!.askDepthPrice).toEqual(expect.any(Number))
      expect(table.quotes[0]!.askDepthPrice).toBeNull()
      expect(table.quotes[0]!.bidDepthPrice).toEqual(expect.any(Number))
      expect(table.quotes[0]!.spreadPrice).toBeNull()
      expect(table.quotes[6]!.spreadPrice).toBeNull()
      for (const quote of table.quotes.slice(1, 6))
        expect(quote.spreadPrice).toBe(quote.bidDepthPrice! + quote.askDepthPrice!)
    }
    expect(solveGlftExact({ ...FIG, maxInventoryLots: 3 }).getAsymptoticQuoteTable().timeToHorizonSec).toBe(
      Number.POSITIVE_INFINITY,
    )
  })

  it('is symmetric, δᵇ(q; μ) = δᵃ(−q; −μ), and monotone in q (bid depth up, ask depth down)', () => {
    fc.assert(
      fc.property(
        moderate,
        fc.double({ min: 0, max: 2000, noNaN: true }),
        fc.double({ min: -0.001, max: 0.001, noNaN: true }),
        (p, tau, drift) => {
          const up = solveGlftExact({ ...p, driftPricePerSec: drift })
          const down = solveGlftExact({ ...p, driftPricePerSec: -drift })
          const bound = p.maxInventoryLots
          for (const [a, b] of [
            [up.getQuoteTable(tau), down.getQuoteTable(tau)],
            [up.getAsymptoticQuoteTable(), down.getAsymptoticQuoteTable()],
          ] as const) {
            for (let q = -bound; q < bound; q++) {
              const bid = a.quotes[q + bound]!.bidDepthPrice!
              expect(Math.abs(bid - b.quotes[-q + bound]!.askDepthPrice!)).toBeLessThan(1e-9 * (1 + Math.abs(bid)))
              if (q + 1 < bound) expect(a.quotes[q + 1 + bound]!.bidDepthPrice!).toBeGreaterThanOrEqual(bid - 1e-12)
            }
            for (let q = -bound + 1; q < bound; q++)
              expect(a.quotes[q + 1 + bound]!.askDepthPrice!).toBeLessThanOrEqual(
                a.quotes[q + bound]!.askDepthPrice! + 1e-12,
              )
          }
        },
      ),
      { numRuns: 100, seed: 1105 },
    )
  })

  it('tends to (1/γ)·ln(1 + γ/k) on both sides as T − t → 0', () => {
    const solution = solveGlftExact({ ...FIG, maxInventoryLots: 30 })
    const limit = c0(0.01, 0.3)
    for (const quote of solution.getQuoteTable(0).quotes) {
      if (quote.bidDepthPrice !== null) expect(quote.bidDepthPrice).toBeCloseTo(limit, 12)
      if (quote.askDepthPrice !== null) expect(quote.askDepthPrice).toBeCloseTo(limit, 12)
    }
    // Near the horizon v ≈ (I − M(T−t))·1, so (1/k)·ln(v_q/v_{q+1}) ≈ (T−t)·α((q+1)² − q²)/k = (T−t)·γσ²(2q+1)/2:
    // the Avellaneda–Stoikov first-order quotes (GLFT's footnote), for interior q.
    for (const tau of [1e-2, 1e-3]) {
      for (const q of [-5, 0, 5]) {
        const first = (tau * 0.01 * 0.09 * (2 * q + 1)) / 2
        const got = solution.getQuote(tau, q)
        expect(Math.abs(got.bidDepthPrice! - limit - first)).toBeLessThan(0.01 * Math.abs(first))
        expect(Math.abs(got.askDepthPrice! - limit - (tau * 0.01 * 0.09 * (1 - 2 * q)) / 2)).toBeLessThan(
          0.01 * Math.abs(first),
        )
      }
    }
  })

  it('with an impact ξ, tends at T − t = 0 to c0 + ξ/2 + ξ(2q+1)/2 (bid) and c0 + ξ/2 + ξ(1−2q)/2 (ask)', () => {
    // From v_q(T) = e^{−kξq²/2}: (1/k)·ln(v_q/v_{q+1}) = ξ((q+1)² − q²)/2 = ξ(2q+1)/2.
    const xi = 0.1
    const table = solveGlftExact({ ...FIG, impactPricePerFill: xi, maxInventoryLots: 4 }).getQuoteTable(0)
    for (const quote of table.quotes) {
      const q = quote.inventoryLots
      if (quote.bidDepthPrice !== null)
        expect(quote.bidDepthPrice).toBeCloseTo(c0(0.01, 0.3) + xi / 2 + (xi * (2 * q + 1)) / 2, 10)
      if (quote.askDepthPrice !== null)
        expect(quote.askDepthPrice).toBeCloseTo(c0(0.01, 0.3) + xi / 2 + (xi * (1 - 2 * q)) / 2, 10)
    }
  })

  it('converges to the eigenvector asymptotics as T − t grows', () => {
    const solution = solveGlftExact({ ...FIG, maxInventoryLots: 30 })
    const asymptotic = solution.getAsymptoticQuoteTable().quotes
    const distance = (tau: number) =>
      Math.max(
        ...solution
          .getQuoteTable(tau)
          .quotes.map((quote, i) =>
            Math.max(
              quote.bidDepthPrice === null ? 0 : Math.abs(quote.bidDepthPrice - asymptotic[i]!.bidDepthPrice!),
              quote.askDepthPrice === null ? 0 : Math.abs(quote.askDepthPrice - asymptotic[i]!.askDepthPrice!),
            ),
          ),
      )
    const distances = [10, 100, 300, 1000].map(distance)
    for (let i = 1; i < distances.length; i++) expect(distances[i]!).toBeLessThan(distances[i - 1]!)
    expect(distances[0]!).toBeGreaterThan(1e-3)
    // The asymptotic table comes from a different computation (ratio recurrence), so the floor is their agreement.
    expect(distances[3]!).toBeLessThan(1e-9)
    expect(distance(100000)).toBeLessThan(1e-9)
  })

  it('asymptotic quotes come from a positive eigenvector of M (residual of M f = λ f checked with M written out)', () => {
    const cases: GlftExactParameters[] = [
      { ...FIG, maxInventoryLots: 30 },
      { ...FIG, maxInventoryLots: 3 },
      { ...FIG, maxInventoryLots: 6, driftPricePerSec: 0.0004, impactPricePerFill: 0.3 },
    ]
    for (const p of cases) {
      const bound = p.maxInventoryLots
      const n = 2 * bound + 1
      const k = p.kPerPrice
      const xi = p.impactPricePerFill ?? 0
      const quotes = solveGlftExact(p).getAsymptoticQuoteTable().quotes
      // f_{q+1}/f_q = exp(−k(δᵇ(q) − c0 − ξ/2)); start from f_{−Q} = 1.
      const f = [1]
      for (let i = 0; i < n - 1; i++)
        f.push(f[i]! * Math.exp(-k * (quotes[i]!.bidDepthPrice! - c0(p.gammaPerPrice, k) - xi / 2)))
      const alpha = (k / 2) * p.gammaPerPrice * p.sigmaPerSqrtSec ** 2
      const eta = p.aPerSec * (1 + p.gammaPerPrice / k) ** -(1 + k / p.gammaPerPrice) * Math.exp((-k * xi) / 2)
      const mu = p.driftPricePerSec ?? 0
      const mf = f.map((fi, i) => {
        const q = i - bound
        return (alpha * q * q - k * mu * q) * fi - eta * ((f[i - 1] ?? 0) + (f[i + 1] ?? 0))
      })
      const lambda = mf[bound]! / f[bound]!
      const fmax = Math.max(...f)
      for (let i = 0; i < n; i++) expect(Math.abs(mf[i]! - lambda * f[i]!) / fmax).toBeLessThan(1e-10)
      expect(lambda).toBeLessThan(0) // below the Gershgorin centre 0 of the q = 0 row: the smallest eigenvalue here
    }
  })

  it('the closed form approaches the exact solution for small |q| (Q = 30), and a small Q (3) visibly moves δᵇ(0)', () => {
    const large = solveGlftExact({ ...FIG, maxInventoryLots: 30 })
    const bigC = Math.sqrt(((0.09 * 0.01) / (2 * 0.3 * 0.9)) * (1 + 0.01 / 0.3) ** (1 + 0.3 / 0.01))
    for (const table of [large.getQuoteTable(T), large.getAsymptoticQuoteTable()]) {
      for (const q of [-2, -1, 0, 1, 2]) {
        const approx = computeGlftApproxQuotes({ ...FIG, inventoryLots: q })
        const exact = table.quotes[q + 30]!
        // Within 2 % of C = 0.0679 tick (the inventory step of the quotes).
        expect(Math.abs(exact.bidDepthPrice! - approx.bidDepthPrice)).toBeLessThan(0.02 * bigC)
        expect(Math.abs(exact.askDepthPrice! - approx.askDepthPrice)).toBeLessThan(0.02 * bigC)
      }
    }
    // Far from 0 the Gaussian approximation degrades (GLFT: "good for small |q|"): the error grows with |q|.
    const asymptotic = large.getAsymptoticQuoteTable().quotes
    const error = (q: number) =>
      Math.abs(asymptotic[q + 30]!.bidDepthPrice! - computeGlftApproxQuotes({ ...FIG, inventoryLots: q }).bidDepthPrice)
    expect(error(25)).toBeGreaterThan(10 * error(0))
    const small = solveGlftExact({ ...FIG, maxInventoryLots: 3 }).getQuote(T, 0)
    expect(small.bidDepthPrice! - large.getQuote(T, 0).bidDepthPrice!).toBeGreaterThan(2 * bigC)
  })

  it('matches the §5 closed forms with a drift and/or an impact near q = 0 (signs and sizes of the extensions)', () => {
    const bigC = Math.sqrt(((0.09 * 0.01) / (2 * 0.3 * 0.9)) * (1 + 0.01 / 0.3) ** (1 + 0.3 / 0.01))
    const cases = [
      { driftPricePerSec: 1e-4 },
      { driftPricePerSec: -3e-4 },
      { impactPricePerFill: 0.5 },
      { impactPricePerFill: 2, driftPricePerSec: 2e-4 },
    ]
    for (const extension of cases) {
      const quotes = solveGlftExact({ ...FIG, ...extension, maxInventoryLots: 30 }).getAsymptoticQuoteTable().quotes
      const mu = extension.driftPricePerSec ?? 0
      const xi = extension.impactPricePerFill ?? 0
      const scaledC = Math.exp((0.3 * xi) / 4) * bigC
      for (const q of [-2, 0, 2]) {
        // GLFT §5 written out: c0 + ξ/2 + [∓μ/(γσ²) ± …]·e^{kξ/4}·C.
        const bid = c0(0.01, 0.3) + xi / 2 + (-mu / (0.01 * 0.09) + (2 * q + 1) / 2) * scaledC
        const ask = c0(0.01, 0.3) + xi / 2 + (mu / (0.01 * 0.09) - (2 * q - 1) / 2) * scaledC
        expect(Math.abs(quotes[q + 30]!.bidDepthPrice! - bid)).toBeLessThan(0.02 * scaledC)
        expect(Math.abs(quotes[q + 30]!.askDepthPrice! - ask)).toBeLessThan(0.02 * scaledC)
      }
    }
    // A positive drift makes the bid tighter and the ask wider by about μ/(γσ²)·C (here 0.0075 tick).
    const plain = solveGlftExact({ ...FIG, maxInventoryLots: 30 }).getAsymptoticQuoteTable().quotes[30]!
    const drifted = solveGlftExact({ ...FIG, driftPricePerSec: 1e-4, maxInventoryLots: 30 }).getAsymptoticQuoteTable()
      .quotes[30]!
    const shift = (1e-4 / (0.01 * 0.09)) * bigC
    expect(plain.bidDepthPrice! - drifted.bidDepthPrice!).toBeCloseTo(shift, 4)
    expect(drifted.askDepthPrice! - plain.askDepthPrice!).toBeCloseTo(shift, 4)
  })

  it('has the GLFT comparative statics for the asymptotic spread at q = 0: ∂ψ/∂σ² > 0, ∂ψ/∂A < 0, ∂ψ/∂k < 0', () => {
    const psi = (patch: Partial<typeof FIG>) =>
      solveGlftExact({ ...FIG, ...patch, maxInventoryLots: 30 }).getAsymptoticQuoteTable().quotes[30]!.spreadPrice!
    const base = psi({})
    expect(psi({ sigmaPerSqrtSec: 0.35 })).toBeGreaterThan(base)
    expect(psi({ aPerSec: 1.1 })).toBeLessThan(base)
    expect(psi({ kPerPrice: 0.35 })).toBeLessThan(base)
    const small = (patch: Partial<typeof FIG>) =>
      solveGlftExact({ ...FIG, ...patch, maxInventoryLots: 3 }).getAsymptoticQuoteTable().quotes[3]!.spreadPrice!
    expect(small({ sigmaPerSqrtSec: 0.35 })).toBeGreaterThan(small({}))
    expect(small({ aPerSec: 1.1 })).toBeLessThan(small({}))
    expect(small({ kPerPrice: 0.35 })).toBeLessThan(small({}))
  })

  it('answers getQuote and getQuoteTables consistently with getQuoteTable', () => {
    const solution = solveGlftExact({ ...FIG, maxInventoryLots: 5 })
    const tables = solution.getQuoteTables([600, 0, 30])
    expect(tables.map((t) => t.timeToHorizonSec)).toEqual([600, 0, 30])
    expect(tables[2]).toEqual(solution.getQuoteTable(30))
    expect(solution.getQuote(30, -2)).toEqual(tables[2]!.quotes[3])
    expect(Object.isFrozen(solution)).toBe(true)
    // Exposed arrays are copies: scribbling on them does not change later answers.
    const before = solution.getQuoteTable(30)
    solution.matrix.terminal.fill(0)
    solution.matrix.diagonal.fill(1)
    solution.eigenvalues.fill(0)
    expect(solution.getQuoteTable(30)).toEqual(before)
  })

  it('names every bad input', () => {
    const solution = solveGlftExact({ ...FIG, maxInventoryLots: 5 })
    expect(() => solution.getQuoteTable(-1)).toThrow(/Invalid timeToHorizonSec: -1/)
    expect(() => solution.getQuoteTable(Number.NaN)).toThrow(/timeToHorizonSec: NaN/)
    expect(() => solution.getValueVector(Number.POSITIVE_INFINITY)).toThrow(InvalidParameterError)
    expect(() => solution.getQuote(10, 6)).toThrow(/inventoryLots: 6 \(must be an integer in \[-5, 5\]\)/)
    expect(() => solution.getQuote(10, 0.5)).toThrow(/inventoryLots: 0.5/)
    expect(() => solution.getQuoteTables([1, -2])).toThrow(/timesToHorizonSec\[1\]: -2/)
    expect(() => solution.getQuoteTables('600' as never)).toThrow(InvalidParameterError)
    const bad: [Record<string, number>, RegExp][] = [
      [{ gammaPerPrice: -0.01 }, /gammaPerPrice: -0.01/],
      [{ kPerPrice: 0 }, /kPerPrice: 0/],
      [{ sigmaPerSqrtSec: -1 }, /sigmaPerSqrtSec: -1/],
      [{ aPerSec: Number.NaN }, /aPerSec: NaN/],
      [{ maxInventoryLots: 0 }, /maxInventoryLots: 0/],
      [{ maxInventoryLots: 2.5 }, /maxInventoryLots: 2.5/],
      [{ impactPricePerFill: -0.1 }, /impactPricePerFill: -0.1/],
    ]
    for (const [patch, message] of bad) {
      expect(() => solveGlftExact({ ...FIG, maxInventoryLots: 5, ...patch })).toThrow(InvalidParameterError)
      expect(() => solveGlftExact({ ...FIG, maxInventoryLots: 5, ...patch })).toThrow(message)
    }
  })

  it('switches to the entry-wise accurate chain route where the eigen route cannot resolve v (Q = 50, T − t = 60 s)', () => {
    // At T − t = 60 s the non-ground modes still matter and v_{±50} is ~1e-11 of its maximum: below what the QL
    // modes resolve, so the table comes from the ground-state chain. Where the eigen route is accurate (|q| ≤ 40)
    // both agree; everywhere the table is symmetric and monotone.
    const wide = solveGlftExact({ ...FIG, maxInventoryLots: 50 })
    const table = wide.getQuoteTable(60).quotes
    const v = wide.getValueVector(60)
    for (let q = -40; q < 40; q++)
      expect(
        Math.abs(table[q + 50]!.bidDepthPrice! - (c0(0.01, 0.3) + Math.log(v[q + 50]! / v[q + 51]!) / 0.3)),
      ).toBeLessThan(1e-9)
    for (let q = -50; q < 50; q++) {
      const bid = table[q + 50]!.bidDepthPrice!
      expect(Math.abs(bid - table[-q + 50]!.askDepthPrice!)).toBeLessThan(1e-9)
      if (q < 49) expect(table[q + 51]!.bidDepthPrice!).toBeGreaterThan(bid)
    }
    expect(wide.getQuote(60, -50)).toEqual(table[0])
  })

  it('throws GlftPrecisionLossError when neither route can resolve v', () => {
    // γ = 1, σ = 50, k = A = 1, Q = 100: the ground state spans ~e^{−1600}, beyond what either route represents.
    const steep = solveGlftExact({
      gammaPerPrice: 1,
      sigmaPerSqrtSec: 50,
      aPerSec: 1,
      kPerPrice: 1,
      maxInventoryLots: 100,
    })
    expect(() => steep.getQuoteTable(600)).toThrow(GlftPrecisionLossError)
    const error = catchError(() => steep.getQuoteTable(600)) as GlftPrecisionLossError
    expect(error.code).toBe('GLFT_PRECISION_LOSS')
    expect(Math.abs(error.inventoryLots)).toBeGreaterThan(50)
    expect(error.relativeErrorBound).toBeGreaterThan(error.tolerance)
    expect(error.metaMessages.at(-1)).toMatch(/^Next: /)
    expect(error.cause).toBeInstanceOf(GlftPrecisionLossError)
    // The same solution answers at T − t = 0 (v(T) = 1 exactly) and at T → ∞.
    expect(steep.getQuoteTable(0).quotes[0]!.bidDepthPrice).toBeCloseTo(Math.log(2), 12)
    expect(steep.getAsymptoticQuoteTable().quotes[0]!.bidDepthPrice).toEqual(expect.any(Number))
  })

  it('handles an impact whose terminal condition underflows (k·ξ·Q²/2 = 900): exact at T − t = 0, chain route after', () => {
    const p = {
      gammaPerPrice: 0.01,
      sigmaPerSqrtSec: 0.3,
      aPerSec: 0.9,
      kPerPrice: 0.5,
      impactPricePerFill: 1,
      maxInventoryLots: 60,
    }
    const solution = solveGlftExact(p)
    expect(solution.matrix.terminal[0]).toBe(0) // e^{−900} is below the smallest double
    const base = c0(0.01, 0.5) + 0.5
    for (const quote of solution.getQuoteTable(0).quotes) {
      const q = quote.inventoryLots
      if (quote.bidDepthPrice !== null) expect(quote.bidDepthPrice).toBeCloseTo(base + (2 * q + 1) / 2, 10)
      if (quote.askDepthPrice !== null) expect(quote.askDepthPrice).toBeCloseTo(base + (1 - 2 * q) / 2, 10)
    }
    for (const tau of [1, 60]) {
      const table = solution.getQuoteTable(tau).quotes
      for (let q = -60; q < 60; q++) {
        const bid = table[q + 60]!.bidDepthPrice!
        expect(Math.abs(bid - table[-q + 60]!.askDepthPrice!)).toBeLessThan(1e-9 * (1 + Math.abs(bid)))
        if (q < 59) expect(table[q + 61]!.bidDepthPrice!).toBeGreaterThan(bid)
      }
    }
  })

  it('gives accurate asymptotic quotes even when f spans more than the double range (ratio recurrence)', () => {
    const p = { gammaPerPrice: 1, sigmaPerSqrtSec: 50, aPerSec: 1, kPerPrice: 1, maxInventoryLots: 100 }
    const quotes = solveGlftExact(p).getAsymptoticQuoteTable().quotes
    // Row q of (M − λ)f = 0 divided by f_q: (αq² − λ) − η·f_{q−1}/f_q − η·f_{q+1}/f_q = 0, with
    // f_{q+1}/f_q = exp(−k(δᵇ(q) − c0)) and f_{q−1}/f_q = exp(−k(δᵃ(q) − c0)); M written out here.
    const alpha = 0.5 * 1 * 2500
    const eta = (1 + 1) ** -(1 + 1)
    const base = Math.log(2)
    const up = (q: number) => Math.exp(-(quotes[q + 100]!.bidDepthPrice! - base))
    const down = (q: number) => Math.exp(-(quotes[q + 100]!.askDepthPrice! - base))
    const lambda = -eta * (up(0) + down(0))
    for (let q = -99; q <= 99; q++) {
      const scale = alpha * q * q + Math.abs(lambda) + eta
      expect(Math.abs(alpha * q * q - lambda - eta * (up(q) + down(q))) / scale).toBeLessThan(1e-12)
    }
    expect(Math.abs(alpha * 10000 - lambda - eta * down(100)) / (alpha * 10000)).toBeLessThan(1e-12)
    // ln(f_0/f_Q) = Σ_{q=0}^{Q−1} k(δᵇ(q) − c0): beyond the double range (e^{−745}).
    let logRange = 0
    for (let q = 0; q < 100; q++) logRange += quotes[q + 100]!.bidDepthPrice! - base
    expect(logRange).toBeGreaterThan(745)
    // Symmetric and monotone everywhere.
    for (let q = -99; q < 99; q++) {
      expect(quotes[q + 101]!.bidDepthPrice!).toBeGreaterThan(quotes[q + 100]!.bidDepthPrice!)
      const bid = quotes[q + 100]!.bidDepthPrice!
      expect(Math.abs(bid - quotes[-q + 100]!.askDepthPrice!)).toBeLessThan(1e-12 * (1 + Math.abs(bid)))
    }
  })

  it('with a large bound, long-horizon tables match the asymptotic table (Figs 1–3, Q = 40, T − t = 10⁴ s)', () => {
    const solution = solveGlftExact({ ...FIG, maxInventoryLots: 40 })
    const table = solution.getQuoteTable(10000).quotes
    const asymptotic = solution.getAsymptoticQuoteTable().quotes
    for (let i = 0; i < table.length - 1; i++)
      expect(Math.abs(table[i]!.bidDepthPrice! - asymptotic[i]!.bidDepthPrice!)).toBeLessThan(1e-9)
  })

  it('gives asymptotic quotes for a large bound where the value vector would underflow (Figs 1–3, Q = 200)', () => {
    const quotes = solveGlftExact({ ...FIG, maxInventoryLots: 200 }).getAsymptoticQuoteTable().quotes
    const near = solveGlftExact({ ...FIG, maxInventoryLots: 30 }).getAsymptoticQuoteTable().quotes
    // Far from both bounds the bound does not matter: Q = 200 and Q = 30 agree for small |q|.
    for (const q of [-2, 0, 3]) expect(quotes[q + 200]!.bidDepthPrice!).toBeCloseTo(near[q + 30]!.bidDepthPrice!, 3)
    for (const quote of quotes) {
      if (quote.bidDepthPrice !== null) expect(Number.isFinite(quote.bidDepthPrice)).toBe(true)
      if (quote.askDepthPrice !== null) expect(Number.isFinite(quote.askDepthPrice)).toBe(true)
    }
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}
