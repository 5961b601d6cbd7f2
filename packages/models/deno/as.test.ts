// Deno smoke suite for the BUILT package (run `pnpm --filter @alp/models build` first): the same dist/ that npm users
// get must load and compute under Deno. Only node:assert, no network imports.
import assert from 'node:assert/strict'
// @deno-types="../dist/index.d.ts"
import {
  AS2008_PUBLISHED_TABLES,
  checkAs2008Reproduction,
  computeAsInfiniteHorizonQuote,
  computeAsQuote,
  computeAsSpread,
  computeGlftApproxQuotes,
  computeShapedOrderSizes,
  InvalidParameterError,
  QuoteCrossesMidError,
  simulateAs2008,
} from '../dist/index.js'

const paper = { midPrice: 100, q: 2, gammaPerPrice: 0.1, sigmaPerSqrtTime: 2, kPerPrice: 1.5, timeToHorizon: 1 }

Deno.test('AS quote: q = 2 by hand (r = 99.2, δᵃ = 10·ln(16/15) − 0.6)', () => {
  const quote = computeAsQuote(paper)
  assert.ok(Math.abs(quote.reservationPrice - 99.2) < 1e-12)
  assert.ok(Math.abs(quote.askDepth - (10 * Math.log(16 / 15) - 0.6)) < 1e-12)
  assert.equal(quote.bidCrossesMid, false)
})

Deno.test('AS spread: the published average spreads 1.4908 / 1.3489 / 3.0217', () => {
  for (const [gamma, expected] of [
    [0.1, 1.4908],
    [0.01, 1.3489],
    [1, 3.0217],
  ]) {
    const spread = computeAsSpread({ gammaPerPrice: gamma, sigmaPerSqrtTime: 2, kPerPrice: 1.5, timeToHorizon: 0.5 })
    assert.ok(Math.abs(spread - expected) < 5e-5, `γ = ${gamma}: ${spread}`)
  }
})

Deno.test('AS crossing: reported by default, dropped or thrown on request', () => {
  const crossed = { ...paper, q: 3 }
  assert.equal(computeAsQuote(crossed).askCrossesMid, true)
  assert.equal(computeAsQuote(crossed, { crossing: 'drop' }).askPrice, null)
  assert.throws(() => computeAsQuote(crossed, { crossing: 'throw' }), QuoteCrossesMidError)
})

Deno.test('validation errors name the field and the value', () => {
  assert.throws(
    () => computeAsQuote({ ...paper, gammaPerPrice: -1 }),
    (error: unknown) => error instanceof InvalidParameterError && error.field === 'gammaPerPrice' && error.value === -1,
  )
  assert.throws(
    () => computeAsInfiniteHorizonQuote({ ...paper, omegaPerTime: 0.1 }),
    (error: unknown) => error instanceof InvalidParameterError && error.field === 'omegaPerTime',
  )
})

Deno.test('order-size shaping drops a side that rounds to zero lots', () => {
  const sizes = computeShapedOrderSizes({ orderSizeBase: 1, q: -2, eta: 1, lotSizeBase: 0.2, rounding: 'down' })
  assert.equal(sizes.askDropped, true)
  assert.equal(sizes.bidLots, 5)
})

Deno.test('AS 2008 simulation: the γ = 0.1 inventory row is within the published tolerances (seed 2008)', () => {
  const result = simulateAs2008({ gammaPerPrice: 0.1, seed: 2008 })
  const row = AS2008_PUBLISHED_TABLES.rows.find((r) => r.gammaPerPrice === 0.1 && r.strategy === 'inventory')
  assert.ok(row)
  const acceptance = checkAs2008Reproduction(result.inventory, row, result.paths)
  assert.deepEqual(
    acceptance.checks.filter((c) => !c.ok),
    [],
  )
})

Deno.test('GLFT closed form loads from the same build: δᵇ(q) = δᵃ(−q) and ψ = (2/γ)ln(1+γ/k) + C (GLFT §2.2)', () => {
  // GLFT 2013 Figs 1–3 parameters: σ = 0.3, A = 0.9, k = 0.3, γ = 0.01 (price unit = tick, time unit = second).
  const model = { gammaPerPrice: 0.01, sigmaPerSqrtSec: 0.3, aPerSec: 0.9, kPerPrice: 0.3 }
  const c = Math.sqrt(((0.3 * 0.3 * 0.01) / (2 * 0.3 * 0.9)) * (1 + 0.01 / 0.3) ** (1 + 0.3 / 0.01))
  const long = computeGlftApproxQuotes({ ...model, inventoryLots: 3 })
  const short = computeGlftApproxQuotes({ ...model, inventoryLots: -3 })
  assert.ok(Math.abs(long.bidDepthPrice - short.askDepthPrice) < 1e-9)
  assert.ok(Math.abs(long.spreadPrice - ((2 / 0.01) * Math.log(1 + 0.01 / 0.3) + c)) < 1e-9)
})
