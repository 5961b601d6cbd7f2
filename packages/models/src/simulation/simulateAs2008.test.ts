import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { AS2008_PUBLISHED_TABLES } from './as2008PublishedTables.js'
import { checkAs2008Reproduction } from './checkAs2008Reproduction.js'
import { simulateAs2008 } from './simulateAs2008.js'

// The reproduction: our seeded Monte Carlo (1000 paths, seed 2008 fixed before looking at any result) against the
// PUBLISHED Tables 1–3 of AS 2008 (the paper's pp. 222–223) with the acceptance rule of docs/models.md
// ("The AS 2008 reproduction"):
//   |mean profit − paper| ≤ 3·std(Profit)_paper/√1000, |avg spread − paper| ≤ 0.02, std(Profit), std(q_T) within ±15 %.
// Every row, inventory AND symmetric, is asserted with the unchanged rule. (Over seeds 1…100 the rule fails for 1 % of
// seeds on the γ = 0.1 and γ = 0.01 inventory mean profits, and for the symmetric std(Profit) at γ = 0.01 in 3 %: the
// symmetric benchmark's std comes out above the printed 12.7 / 12.8, as reference reproduction R1 also found.)
const SEED = 2008
const PATHS = 1000

describe('simulateAs2008 reproduces the published AS 2008 Tables 1–3', () => {
  const results = new Map([0.1, 0.01, 1].map((gamma) => [gamma, simulateAs2008({ gammaPerPrice: gamma, seed: SEED })]))

  it.each(AS2008_PUBLISHED_TABLES.rows.map((row) => [row.gammaPerPrice, row.strategy, row] as const))(
    'γ = %s, %s strategy: within the §1.4 tolerances',
    (gamma, strategy, row) => {
      const result = results.get(gamma)!
      expect(result.paths).toBe(PATHS)
      expect(result.steps).toBe(200)
      const acceptance = checkAs2008Reproduction(result[strategy], row, PATHS)
      const failures = acceptance.checks.filter((c) => !c.ok)
      expect(failures).toEqual([])
      expect(acceptance.ok).toBe(true)
    },
  )

  it('the paper’s qualitative claims: the symmetric strategy earns a little more with ≈2× the P&L std and ≈3× std(q_T)', () => {
    for (const gamma of [0.1, 1]) {
      const { inventory, symmetric } = results.get(gamma)!
      expect(symmetric.meanProfit).toBeGreaterThan(inventory.meanProfit)
      expect(symmetric.stdProfit / inventory.stdProfit).toBeGreaterThan(1.5)
      expect(symmetric.stdFinalQ / inventory.stdFinalQ).toBeGreaterThan(2.5)
    }
  })

  it('the average spread is the 200-step average of eq. (30): 1.4918 / 1.3490 / 3.0317 (hand computation)', () => {
    // γσ²·mean(T − t_i) + (2/γ)ln(1 + γ/k), mean(T − t_i) = 0.5025: 0.201 + 1.29077, 0.0201 + 1.32891, 2.01 + 1.02165
    expect(results.get(0.1)!.inventory.averageSpread).toBeCloseTo(1.49177, 4)
    expect(results.get(0.01)!.inventory.averageSpread).toBeCloseTo(1.34901, 4)
    expect(results.get(1)!.inventory.averageSpread).toBeCloseTo(3.03165, 4)
    expect(results.get(0.1)!.symmetric.averageSpread).toBeCloseTo(results.get(0.1)!.inventory.averageSpread, 10)
  })
})

describe('simulateAs2008: determinism and validation', () => {
  it('the same seed gives the same numbers; another seed gives others', () => {
    const a = simulateAs2008({ gammaPerPrice: 0.1, seed: 7, paths: 50 })
    const b = simulateAs2008({ gammaPerPrice: 0.1, seed: 7, paths: 50 })
    const c = simulateAs2008({ gammaPerPrice: 0.1, seed: 8, paths: 50 })
    expect(a).toEqual(b)
    expect(c.inventory.meanProfit).not.toBe(a.inventory.meanProfit)
  })

  it('σ = 0 and A = 0: no fills and no moves, so profit and q_T are exactly 0', () => {
    const r = simulateAs2008({ gammaPerPrice: 0.1, seed: 1, paths: 10, sigmaPerSqrtTime: 0, intensityPerTime: 0 })
    expect(r.inventory).toMatchObject({ meanProfit: 0, stdProfit: 0, meanFinalQ: 0, stdFinalQ: 0 })
  })

  it('fill probability clipped to 1: both sides fill every step, q stays 0, profit = Σ spreads', () => {
    // σ = 0 (s stays 100), γ = 1, k = 0.01, A = 1000: c = ln(1 + 1/0.01) = ln 101 = 4.61512 and spread 2c every step;
    // A·e^(−k·c)·dt = 1000 · 0.95487 · 0.005 = 4.77 > 1 → probability 1 on both sides; profit = 200 · 2c = 1846.05.
    const r = simulateAs2008({
      gammaPerPrice: 1,
      seed: 3,
      paths: 5,
      sigmaPerSqrtTime: 0,
      intensityPerTime: 1000,
      kPerPrice: 0.01,
    })
    expect(r.inventory.meanFinalQ).toBe(0)
    expect(r.inventory.meanProfit).toBeCloseTo(200 * 2 * Math.log(101), 6)
  })

  it("the exact-Poisson fill rule 1 − e^(−λdt) lowers profits by about 11 % (docs/models.md, AS 2008 reproduction; R2's claim)", () => {
    const linear = simulateAs2008({ gammaPerPrice: 0.1, seed: SEED })
    const poisson = simulateAs2008({ gammaPerPrice: 0.1, seed: SEED, fillProbability: 'poisson' })
    const drop = 1 - poisson.inventory.meanProfit / linear.inventory.meanProfit
    expect(drop).toBeGreaterThan(0.08)
    expect(drop).toBeLessThan(0.15)
  })

  it.each([
    ['gammaPerPrice', { gammaPerPrice: 0 }],
    ['seed', { seed: 1.5 }],
    ['paths', { paths: 1 }],
    ['timeStep', { timeStep: 0.3 }],
    ['sigmaPerSqrtTime', { sigmaPerSqrtTime: -2 }],
    ['kPerPrice', { kPerPrice: Number.NaN }],
    ['initialQ', { initialQ: 0.5 }],
    ['fillProbability', { fillProbability: 'exact' }],
  ] as const)('rejects a bad %s', (field, patch) => {
    let caught: unknown
    try {
      simulateAs2008({ gammaPerPrice: 0.1, seed: 1, paths: 10, ...patch } as Parameters<typeof simulateAs2008>[0])
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidParameterError)
    expect((caught as InvalidParameterError).field).toBe(field)
  })
})
