import { computeAsQuoteInto } from './computeAsQuoteInto.js'
import { createAsQuote } from './createAsQuote.js'
import type { AsQuote, AsQuoteOptions, AsQuoteParameters } from './types.js'

/** What computeAsQuote can throw. */
export type ComputeAsQuoteErrorType =
  | import('../errors/parameter.js').InvalidParameterErrorType
  | import('../errors/parameter.js').QuoteCrossesMidErrorType
  | import('../errors/parameter.js').QuoteNonPositivePriceErrorType

/**
 * Finite-horizon Avellaneda–Stoikov quote (AS 2008 eqs. (29)–(30)): reservation price, spread, per-side depths from
 * the mid and bid/ask prices, with crossing reported and handled by `options.crossing`. Returns a new object; use
 * `computeAsQuoteInto` to reuse one in a hot loop. Formulas and units: see `computeAsQuoteInto` / `AsQuoteParameters`.
 *
 * @throws InvalidParameterError naming the first field out of its domain (or a bad option).
 * @throws QuoteCrossesMidError when a side crosses the mid and `options.crossing` is `'throw'`.
 * @throws QuoteNonPositivePriceError when a price is ≤ 0 and `options.crossing` is `'throw'`.
 */
export function computeAsQuote(parameters: AsQuoteParameters, options?: AsQuoteOptions): AsQuote {
  return computeAsQuoteInto(createAsQuote(), parameters, options)
}
