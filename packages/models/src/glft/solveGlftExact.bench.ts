import { bench, describe } from 'vitest'
import { expmDense } from '../internal/linalg/expmDense.js'
import { buildGlftMatrix } from './buildGlftMatrix.js'
import { solveGlftExact } from './solveGlftExact.js'

// GLFT 2013 Figs 1–3 parameters, Q = 30 (61 states), T − t = 600 s. Goal: solve + full quote table ≤ 1 ms.
const P = { gammaPerPrice: 0.01, sigmaPerSqrtSec: 0.3, aPerSec: 0.9, kPerPrice: 0.3, maxInventoryLots: 30 }
const TAU = 600
let sink = 0

/** The dense route: exp(−(M − sI)τ) by Padé(13) scaling and squaring, times v(T), then the quote table. */
function denseRoute(): void {
  const m = buildGlftMatrix(P)
  const n = m.diagonal.length
  let shift = Number.POSITIVE_INFINITY
  for (const d of m.diagonal) shift = Math.min(shift, d)
  shift -= 2 * m.etaPerSec
  const a = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    a[i * n + i] = -(m.diagonal[i]! - shift) * TAU
    if (i + 1 < n) {
      a[i * n + i + 1] = -m.offDiagonal[i]! * TAU
      a[(i + 1) * n + i] = -m.offDiagonal[i]! * TAU
    }
  }
  const e = expmDense(a, n)
  const v = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let j = 0; j < n; j++) s += e[i * n + j]! * m.terminal[j]!
    v[i] = s
  }
  for (let i = 0; i < n; i++) {
    if (i + 1 < n) sink += m.baseDepthPrice + Math.log(v[i]! / v[i + 1]!) / P.kPerPrice
    if (i > 0) sink += m.baseDepthPrice + Math.log(v[i]! / v[i - 1]!) / P.kPerPrice
  }
}

describe('exact GLFT, Q = 30 (61 states): solve + full quote table at T − t = 600 s', () => {
  bench('eigen route: solveGlftExact + getQuoteTable', () => {
    sink += solveGlftExact(P).getQuoteTable(TAU).quotes[30]!.bidDepthPrice!
  })
  bench('dense route: expm (Padé 13, scaling and squaring) + quote table', () => {
    denseRoute()
  })
})

const solved = solveGlftExact(P)
describe('exact GLFT, Q = 30: one more quote table from a solved model (solve once, query many)', () => {
  bench('getQuoteTable on a prepared solution', () => {
    sink += solved.getQuoteTable(TAU).quotes[30]!.bidDepthPrice!
  })
  bench('solveGlftExact + getQuoteTable (from scratch)', () => {
    sink += solveGlftExact(P).getQuoteTable(TAU).quotes[30]!.bidDepthPrice!
  })
})

const wide = solveGlftExact({ ...P, maxInventoryLots: 50 })
describe('exact GLFT, Q = 50: a table where the eigen route resolves v, and one where the chain route takes over', () => {
  bench('T − t = 600 s (eigen route)', () => {
    sink += wide.getQuoteTable(600).quotes[50]!.bidDepthPrice!
  })
  bench('T − t = 60 s (ground-state chain route: v_{±50} ≈ 1e-11 of its maximum)', () => {
    sink += wide.getQuoteTable(60).quotes[50]!.bidDepthPrice!
  })
})

export { sink }
