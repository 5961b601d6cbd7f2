import { bench, describe } from 'vitest'
import { computeAsQuote } from './computeAsQuote.js'
import { computeAsQuoteInto } from './computeAsQuoteInto.js'
import { createAsQuote } from './createAsQuote.js'
import type { AsQuoteParameters } from './types.js'

// AS quotes per second. Each benchmark iteration computes QUOTES_PER_ITERATION quotes over varying mid and inventory,
// so quotes/s = hz × QUOTES_PER_ITERATION (printed after each run). Goal: ≥ 10 million quotes/s.
// Peer: a Hummingbot-style inline formula (no validation, no crossing report, fresh object per quote), measured in the
// same run so "N x faster/slower than" is a like-for-like ratio.
const QUOTES_PER_ITERATION = 1000
// Bind the imports once: vitest's module transform turns each `computeAsQuoteInto(...)` call into a namespace getter
// lookup, which the inline peer does not pay; a local binding measures the function itself.
const quoteInto = computeAsQuoteInto
const quote = computeAsQuote
const mids = Float64Array.from({ length: QUOTES_PER_ITERATION }, (_, i) => 2500 + Math.sin(i) * 5)
const qs = Float64Array.from({ length: QUOTES_PER_ITERATION }, (_, i) => ((i % 41) - 20) / 4)
const gamma = 0.05
const sigma = 1.8
const k = 1.2
const tau = 0.4

/** The comparison baseline: Hummingbot's `c_calculate_reservation_price_and_optimal_spread` shape, with σ² as in AS. */
function peerQuote(price: number, q: number, gammaPerPrice: number, vol: number, kappa: number, timeLeft: number) {
  const reservationPrice = price - q * gammaPerPrice * vol * vol * timeLeft
  const optimalSpread = gammaPerPrice * vol * vol * timeLeft + (2 * Math.log(1 + gammaPerPrice / kappa)) / gammaPerPrice
  return {
    reservationPrice,
    optimalSpread,
    bid: reservationPrice - optimalSpread / 2,
    ask: reservationPrice + optimalSpread / 2,
  }
}

let sink = 0
// tinybench sets `task.result` only after teardown, so the quotes/s line is measured here: iterations counted by the
// benchmark body between the 'run' setup and teardown hooks (harness overhead included, so it slightly understates).
let iterations = 0
let startedMs = 0
const hooks = {
  setup: (_task: unknown, mode: 'warmup' | 'run') => {
    if (mode !== 'run') return
    iterations = 0
    startedMs = performance.now()
  },
  teardown: (task: { name: string }, mode: 'warmup' | 'run') => {
    if (mode !== 'run') return
    const perSecond = (iterations * QUOTES_PER_ITERATION) / ((performance.now() - startedMs) / 1000)
    console.log(`${(perSecond / 1e6).toFixed(1)} million quotes/s: ${task.name} (goal ≥ 10 million/s)`)
  },
}

describe(`AS quote, ${QUOTES_PER_ITERATION} quotes per iteration`, () => {
  const out = createAsQuote()
  const input: AsQuoteParameters = {
    midPrice: 2500,
    q: 0,
    gammaPerPrice: gamma,
    sigmaPerSqrtTime: sigma,
    kPerPrice: k,
    timeToHorizon: tau,
  }

  bench(
    'computeAsQuoteInto (validated, crossing flags, reused output)',
    () => {
      iterations++
      for (let i = 0; i < QUOTES_PER_ITERATION; i++) {
        input.midPrice = mids[i]!
        input.q = qs[i]!
        sink += quoteInto(out, input).spread
      }
    },
    hooks,
  )

  bench(
    'computeAsQuote (validated, crossing flags, new object per quote)',
    () => {
      iterations++
      for (let i = 0; i < QUOTES_PER_ITERATION; i++) {
        input.midPrice = mids[i]!
        input.q = qs[i]!
        sink += quote(input).spread
      }
    },
    hooks,
  )

  bench(
    'peer: Hummingbot-style inline formula (no validation)',
    () => {
      iterations++
      for (let i = 0; i < QUOTES_PER_ITERATION; i++)
        sink += peerQuote(mids[i]!, qs[i]!, gamma, sigma, k, tau).optimalSpread
    },
    hooks,
  )
})

export { sink }
