import { bench, describe } from 'vitest'
import { computeGlftApproxQuotes } from './computeGlftApproxQuotes.js'
import { computeGlftHalfSpreadAndSkew } from './computeGlftHalfSpreadAndSkew.js'
import { computeGueantApproxQuotes } from './computeGueantApproxQuotes.js'

// GLFT 2013 Figs 1–3 parameters; 1000 quotes per iteration (inventory −500…499), so ops/s × 1000 = quotes per second.
// Parameter objects are built once outside the timed loop: on Node 20, `{ ...base, q }` alone costs microseconds.
const inventories = Array.from({ length: 1000 }, (_, i) => i - 500)
const glftInputs = inventories.map((q) => ({
  gammaPerPrice: 0.01,
  sigmaPerSqrtSec: 0.3,
  aPerSec: 0.9,
  kPerPrice: 0.3,
  inventoryLots: q,
}))
const gueantInputs = inventories.map((q) => ({
  xiPerPrice: 0.01,
  gammaPerPrice: 0.01,
  orderSizeBase: 1,
  sigmaPerSqrtSec: 0.3,
  aPerSec: 0.9,
  kPerPrice: 0.3,
  inventoryBase: q,
}))
const coefficientInput = {
  xiPerPrice: 0.01,
  gammaPerPrice: 0.01,
  orderSizeBase: 1,
  sigmaPerSqrtSec: 0.3,
  aPerSec: 0.9,
  kPerPrice: 0.3,
}
let sink = 0

describe('GLFT closed-form quotes (1000 per iteration)', () => {
  bench('computeGlftApproxQuotes (GLFT 2013 C-form, validated on every call)', () => {
    for (const input of glftInputs) sink += computeGlftApproxQuotes(input).bidDepthPrice
  })
  bench('computeGueantApproxQuotes (Guéant 2017 general form, validated on every call)', () => {
    for (const input of gueantInputs) sink += computeGueantApproxQuotes(input).bidDepthPrice
  })
  bench('computeGlftHalfSpreadAndSkew once, then half ± skew·q per quote (hftbacktest style)', () => {
    const { halfSpreadPrice, skewPricePerBase } = computeGlftHalfSpreadAndSkew(coefficientInput)
    for (const q of inventories) sink += halfSpreadPrice + skewPricePerBase * q
  })
})

export { sink }
