export {
  applyDepthQuotePolicy,
  assertQuoteCrossingPolicy,
  createQuoteFlags,
  type DepthQuoteOptions,
  type QuoteCrossingPolicy,
  type QuoteFlags,
} from './quoteFlags.js'
