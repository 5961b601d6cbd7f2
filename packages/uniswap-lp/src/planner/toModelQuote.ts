import type { ModelQuote } from './types.js'

/**
 * An Avellaneda–Stoikov quote (e.g. @alp/models `computeAsQuote`: reservation price and depths from the mid) plus the
 * mid it was computed at → the planner's {@link ModelQuote}. Structurally typed: no runtime dependency on a model.
 */
export function modelQuoteFromAs(
  midPrice: number,
  quote: { reservationPrice: number; bidDepth: number; askDepth: number },
): ModelQuote {
  return { midPrice, reservationPrice: quote.reservationPrice, bidDepth: quote.bidDepth, askDepth: quote.askDepth }
}

/**
 * GLFT-style depths from the mid (e.g. @alp/models `getGlftApproxQuotes`: bidDepthPrice, askDepthPrice) → the planner's
 * {@link ModelQuote}. GLFT has no reservation price; the centre of its quotes, (bid + ask)/2 = s + (δᵃ − δᵇ)/2, plays
 * that role (bid and ask are then symmetric around it, as in AS).
 */
export function modelQuoteFromDepths(parameters: {
  midPrice: number
  bidDepthPrice: number
  askDepthPrice: number
}): ModelQuote {
  const { midPrice, bidDepthPrice, askDepthPrice } = parameters
  return {
    midPrice,
    reservationPrice: midPrice + (askDepthPrice - bidDepthPrice) / 2,
    bidDepth: bidDepthPrice,
    askDepth: askDepthPrice,
  }
}
