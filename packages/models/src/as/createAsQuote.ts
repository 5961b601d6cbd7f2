import { createQuoteFlags } from '../quote/quoteFlags.js'
import type { AsQuote } from './types.js'

/** A zeroed `AsQuote` to reuse as the output of `computeAsQuoteInto` (allocate once, write many times). */
export function createAsQuote(): AsQuote {
  return {
    reservationPrice: 0,
    spreadPrice: 0,
    bidDepthPrice: 0,
    askDepthPrice: 0,
    spread: 0,
    bidDepth: 0,
    askDepth: 0,
    bidPrice: 0,
    askPrice: 0,
    bidCrossesMid: false,
    askCrossesMid: false,
    flags: createQuoteFlags(),
  }
}
