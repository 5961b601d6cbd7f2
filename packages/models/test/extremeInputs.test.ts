import { describe, expect, it } from 'vitest'
import {
  computeAsQuote,
  computeAsReservationPrice,
  computeAsSpread,
  computeGlftApproxQuotes,
  computeGlftCoefficients,
  computeGueantApproxQuotes,
  fitLeastSquaresLine,
  InvalidParameterError,
  solveGlftExact,
} from '../src/index.js'

// Finite but extreme inputs: each function returns the mathematically correct finite value (expected values come
// from a reformulation worked out by hand, noted beside each), or throws a typed error naming the input at fault.
// Never ±Infinity, NaN, or a silently wrong number.

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

/** |actual − expected| ≤ tolerance·|expected|. */
function expectRelative(actual: number, expected: number, tolerance = 1e-12): void {
  expect(Number.isFinite(actual), `${actual} is not finite`).toBe(true)
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected))
}

/** An exact subnormal: 2^-1070 ≈ 8.4e-323 (1e-320 itself is not representable exactly). */
const TINY = 2 ** -1070

describe('AS 2008 on extreme inputs', () => {
  it('computeAsSpread: σ = 1e200 is an InvalidParameterError naming sigmaPerSqrtTime, not Infinity', () => {
    const error = errorOf(() =>
      computeAsSpread({ gammaPerPrice: 0.1, sigmaPerSqrtTime: 1e200, kPerPrice: 1.5, timeToHorizon: 1 }),
    )
    expect(error).toBeInstanceOf(InvalidParameterError)
    expect(error).toMatchObject({ field: 'sigmaPerSqrtTime', value: 1e200 })
  })

  it('computeAsSpread: γ·σ·σ overflows on the way but γσ²(T − t) = 1e110 is the spread', () => {
    // γσ²τ = 1e10 · 1e400 · 1e-300 = 1e110; (2/γ)·ln(1 + γ/k) = 2e-10 · ln(1 + 1e10) ≈ 4.6e-9 is below its last digit.
    const spread = computeAsSpread({
      gammaPerPrice: 1e10,
      sigmaPerSqrtTime: 1e200,
      kPerPrice: 1,
      timeToHorizon: 1e-300,
    })
    expectRelative(spread, 1e110, 1e-13)
  })

  it('computeAsQuote: an overflow with q = 0 names sigmaPerSqrtTime, not q', () => {
    const parameters = {
      midPrice: 2000,
      q: 0,
      gammaPerPrice: 0.1,
      sigmaPerSqrtTime: 1e200,
      kPerPrice: 1.5,
      timeToHorizon: 1,
    }
    expect(errorOf(() => computeAsQuote(parameters))).toMatchObject({
      name: 'InvalidParameterError',
      field: 'sigmaPerSqrtTime',
    })
    // An overflow that q does cause still names q: q·γσ²(T − t) = 1e308 · 2.5.
    expect(errorOf(() => computeAsQuote({ ...parameters, sigmaPerSqrtTime: 5, q: 1e308 }))).toMatchObject({
      field: 'q',
      value: 1e308,
    })
    expect(
      // q·γσ²(T − t) = 100 · 0.1 · 1e308: the horizon is the factor out of scale.
      errorOf(() => computeAsReservationPrice({ ...parameters, q: 100, sigmaPerSqrtTime: 1, timeToHorizon: 1e308 })),
    ).toMatchObject({ field: 'timeToHorizon' })
  })

  it('computeAsQuote: γ/k beyond the double range gives the finite depth (1/γ)·ln(1 + γ/k)', () => {
    // γ = 1/8, k = 2^-1070: γ/k = 2^1067 overflows; ln(1 + 2^1067) = 1067·ln 2 (+ 2^-1067), so c = 8·1067·ln 2.
    const quote = computeAsQuote({
      midPrice: 1e6,
      q: 0,
      gammaPerPrice: 0.125,
      sigmaPerSqrtTime: 0,
      kPerPrice: TINY,
      timeToHorizon: 1,
    })
    expectRelative(quote.bidDepth, 8 * 1067 * Math.LN2)
    expectRelative(quote.askDepth, 8 * 1067 * Math.LN2)
  })
})

describe('GLFT closed forms on extreme inputs', () => {
  // γ = 0.1, k = 1: (1 + γ/k)^{1 + k/γ} = 1.1^11; (1/γ)·ln(1 + γ/k) = 10·ln 1.1.
  const BASE = { gammaPerPrice: 0.1, kPerPrice: 1 }
  const bracket = 1.1 ** 11
  const baseDepth = 10 * Math.log(1.1)

  it('computeGlftApproxQuotes: A = 2^-1070 gives C = σ·√(γ/(2k)·1.1^11)·2^535', () => {
    const quote = computeGlftApproxQuotes({ ...BASE, sigmaPerSqrtSec: 0.3, aPerSec: TINY, inventoryLots: 0 })
    const c = 0.3 * Math.sqrt(0.05 * bracket) * 2 ** 535 // 1/√(2^-1070) = 2^535
    expectRelative(quote.cPricePerLot, c)
    expectRelative(quote.bidDepthPrice, baseDepth + 0.5 * c)
    expectRelative(quote.askDepthPrice, baseDepth + 0.5 * c)
  })

  it('computeGlftApproxQuotes: e^{kξ/4} = e^800 overflows but e^800·C is finite for σ = 1e-200', () => {
    const quote = computeGlftApproxQuotes({
      ...BASE,
      sigmaPerSqrtSec: 1e-200,
      aPerSec: 1,
      impactPricePerFill: 3200,
      inventoryLots: 0,
    })
    // e^{kξ/4}·C = exp(800 + ln σ + ½·ln(γ/(2k)·1.1^11)).
    const scaledC = Math.exp(800 + Math.log(1e-200) + 0.5 * Math.log(0.05 * bracket))
    expectRelative(quote.spreadPrice, 2 * (baseDepth + 1600) + scaledC, 1e-11)
    expectRelative(quote.bidDepthPrice, baseDepth + 1600 + 0.5 * scaledC, 1e-11)
  })

  it('computeGlftApproxQuotes: an impact whose factor e^{kξ/4} = e^1000 cannot be represented names impactPricePerFill', () => {
    const error = errorOf(() =>
      computeGlftApproxQuotes({
        ...BASE,
        sigmaPerSqrtSec: 0.3,
        aPerSec: 1,
        impactPricePerFill: 4000,
        inventoryLots: 0,
      }),
    )
    expect(error).toBeInstanceOf(InvalidParameterError)
    expect(error).toMatchObject({ field: 'impactPricePerFill', value: 4000 })
  })

  it('computeGlftApproxQuotes: q = 1e308 gives base ± (q ± ½)·C (2q + 1 alone overflows)', () => {
    const quote = computeGlftApproxQuotes({ ...BASE, sigmaPerSqrtSec: 0.3, aPerSec: 1, inventoryLots: 1e308 })
    const c = 0.3 * Math.sqrt(0.05 * bracket) // ≈ 0.124: (q + ½)·C ≈ 1.2e307
    expectRelative(quote.bidDepthPrice, 1e308 * c)
    expectRelative(quote.askDepthPrice, -1e308 * c)
    // With C ≈ 12.4 the depth itself is beyond the range: the inventory is named.
    const error = errorOf(() =>
      computeGlftApproxQuotes({ ...BASE, sigmaPerSqrtSec: 30, aPerSec: 1, inventoryLots: 1e308 }),
    )
    expect(error).toMatchObject({ name: 'InvalidParameterError', field: 'inventoryLots' })
  })

  it('computeGlftCoefficients: A = 2^-1070 gives c2 = √(γe/(2Δk))·2^535, not Infinity', () => {
    const { c1Price, c2SqrtSecPerBase } = computeGlftCoefficients({
      xiPerPrice: 0, // bracket (1 + ξΔ/k)^{k/(ξΔ)+1} → e
      gammaPerPrice: 0.1,
      orderSizeBase: 1,
      aPerSec: TINY,
      kPerPrice: 1,
    })
    expect(c1Price).toBe(1)
    expectRelative(c2SqrtSecPerBase, Math.sqrt((0.1 * Math.E) / 2) * 2 ** 535)
  })

  it('computeGlftCoefficients: ξΔ/k beyond the double range gives c1 = ln(1 + ξΔ/k)/(ξΔ) and a finite c2', () => {
    // ξΔ/k = 0.5 / 2^-1070 = 2^1069 overflows; ln(1 + 2^1069) = 1069·ln 2, so c1 = 1069·ln 2 / 0.5.
    // c2 = √(γ/(2AΔk)·(1+y)^{1/y}·(1+y)) with (1+y)^{1/y} = 1 and 1 + y = y: √(0.1·2^1069/(2·1e300·2^-1070)),
    // i.e. √0.05 · 2^1069.5 / √1e300 (A = 1e300 keeps it in range).
    const { c1Price, c2SqrtSecPerBase } = computeGlftCoefficients({
      xiPerPrice: 0.5,
      gammaPerPrice: 0.1,
      orderSizeBase: 1,
      aPerSec: 1e300,
      kPerPrice: TINY,
    })
    expectRelative(c1Price, 2 * 1069 * Math.LN2)
    expectRelative(c2SqrtSecPerBase, (2 ** 535 / Math.sqrt(1e300)) * 2 ** 534.5 * Math.sqrt(0.05), 1e-11)
    // With A = 1, c2 ≈ 2^1069.5 itself is beyond the range: kPerPrice is named.
    const error = errorOf(() =>
      computeGlftCoefficients({ xiPerPrice: 0.5, gammaPerPrice: 0.1, orderSizeBase: 1, aPerSec: 1, kPerPrice: TINY }),
    )
    expect(error).toMatchObject({ name: 'InvalidParameterError', field: 'kPerPrice' })
  })

  it('computeGueantApproxQuotes: q = 1e308 with a skew above 1 names inventoryBase', () => {
    const error = errorOf(() =>
      computeGueantApproxQuotes({
        xiPerPrice: 0.1,
        gammaPerPrice: 0.1,
        orderSizeBase: 1,
        aPerSec: 1,
        kPerPrice: 1,
        sigmaPerSqrtSec: 30,
        inventoryBase: 1e308,
      }),
    )
    expect(error).toBeInstanceOf(InvalidParameterError)
    expect(error).toMatchObject({ field: 'inventoryBase', value: 1e308 })
  })
})

describe('solveGlftExact with γ/k ≥ 1e13', () => {
  const parameters = { gammaPerPrice: 10, sigmaPerSqrtSec: 0.3, aPerSec: 1, kPerPrice: 1e-12, maxInventoryLots: 5 }

  it('at T − t = 0 every depth is exactly (1/γ)·ln(1 + γ/k): v(T) = 1 has no ratio to round', () => {
    // (1/10)·ln(1 + 1e13) = (13·ln 10 + ln(1 + 1e-13))/10.
    const expected = (13 * Math.LN10 + 1e-13) / 10
    for (const quote of solveGlftExact(parameters).getQuoteTable(0).quotes) {
      if (quote.bidDepthPrice !== null) expectRelative(quote.bidDepthPrice, expected)
      if (quote.askDepthPrice !== null) expectRelative(quote.askDepthPrice, expected)
    }
  })

  it('at T − t > 0 the 1/k amplification of rounding is an InvalidParameterError naming kPerPrice', () => {
    // Without drift the exact quotes are symmetric (δᵇ(q) = δᵃ(−q)); the unguarded solver broke that by ~1e-3.
    const error = errorOf(() => solveGlftExact(parameters).getQuoteTable(1))
    expect(error).toBeInstanceOf(InvalidParameterError)
    expect(error).toMatchObject({ field: 'kPerPrice', value: 1e-12 })
    expect(errorOf(() => solveGlftExact(parameters).getQuote(1, 0))).toMatchObject({ field: 'kPerPrice' })
  })
})

describe('fitLeastSquaresLine on x ≈ 1e155', () => {
  it('fits y = 2e-155·x − 1 exactly (dx² would overflow)', () => {
    const fit = fitLeastSquaresLine({ x: [1e155, 2e155, 3e155, 4e155], y: [1, 3, 5, 7] })
    expectRelative(fit.slope, 2e-155)
    expect(fit.intercept).toBeCloseTo(-1, 12)
    expect(fit.rSquared).toBeCloseTo(1, 12)
  })

  it('fits x ≈ 1e-170 as well (dx² would underflow to 0)', () => {
    const fit = fitLeastSquaresLine({ x: [1e-170, 2e-170, 3e-170], y: [2, 4, 6] })
    expectRelative(fit.slope, 2e170)
    expect(fit.intercept).toBeCloseTo(0, 12)
    expect(fit.rSquared).toBeCloseTo(1, 12)
  })
})
