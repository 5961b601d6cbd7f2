import { QuoteCrossesMidError, QuoteNonPositivePriceError } from '../errors/parameter.js'
import type { AsQuote, AsQuoteOptions } from './types.js'

/**
 * Sets `out.flags` from the computed depths and prices, then applies the policy if a side crosses the mid or has a
 * price ≤ 0. No allocation (the flags object is reused).
 */
export function setAsQuoteFlags(out: AsQuote, midPrice: number, options: AsQuoteOptions | undefined): void {
  let flags = out.flags
  if (flags === undefined) {
    flags = {
      bidCrossesMid: false,
      askCrossesMid: false,
      bidPriceNonPositive: false,
      askPriceNonPositive: false,
      bidQuoted: true,
      askQuoted: true,
    }
    out.flags = flags
  }
  const bidPrice = out.bidPrice as number
  const askPrice = out.askPrice as number
  flags.bidCrossesMid = out.bidCrossesMid
  flags.askCrossesMid = out.askCrossesMid
  flags.bidPriceNonPositive = bidPrice <= 0
  flags.askPriceNonPositive = askPrice <= 0
  flags.bidQuoted = true
  flags.askQuoted = true
  if (out.bidCrossesMid || out.askCrossesMid) applyAsCrossingPolicy(out, midPrice, options)
  if (flags.bidPriceNonPositive || flags.askPriceNonPositive) applyAsNonPositivePolicy(out, options)
  flags.bidQuoted = out.bidPrice !== null
  flags.askQuoted = out.askPrice !== null
}

/** The policy for a price ≤ 0 (after the crossing policy): 'clip' and 'drop' unquote the side, 'throw' throws. */
function applyAsNonPositivePolicy(out: AsQuote, options: AsQuoteOptions | undefined): void {
  const policy = options?.crossing ?? 'report'
  if (policy === 'report') return
  const bid = out.bidPrice
  const ask = out.askPrice
  if (policy === 'throw') {
    if (bid !== null && bid <= 0) throw new QuoteNonPositivePriceError({ side: 'bid', price: bid })
    if (ask !== null && ask <= 0) throw new QuoteNonPositivePriceError({ side: 'ask', price: ask })
    return
  }
  if (bid !== null && bid <= 0) out.bidPrice = null
  if (ask !== null && ask <= 0) out.askPrice = null
}

/**
 * Applies the caller's crossing policy to a quote whose bid or ask crosses the mid (its `…CrossesMid` flag is set).
 * The flags and the computed depths are left as they are, so a clipped or dropped side is always visible.
 */
export function applyAsCrossingPolicy(out: AsQuote, midPrice: number, options: AsQuoteOptions | undefined): void {
  const policy = options?.crossing ?? 'report'
  if (policy === 'report') return
  if (policy === 'throw') {
    if (out.bidCrossesMid) throw new QuoteCrossesMidError({ side: 'bid', depth: out.bidDepth })
    throw new QuoteCrossesMidError({ side: 'ask', depth: out.askDepth })
  }
  if (policy === 'drop') {
    if (out.bidCrossesMid) out.bidPrice = null
    if (out.askCrossesMid) out.askPrice = null
    return
  }
  // 'clip': to the caller's best bid / best ask when given, else to the mid. Never more aggressive than computed.
  if (out.bidCrossesMid) out.bidPrice = options?.bestBidPrice ?? midPrice
  if (out.askCrossesMid) out.askPrice = options?.bestAskPrice ?? midPrice
}
