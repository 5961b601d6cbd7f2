import { QuoteCrossesMidError } from '../errors/parameter.js'
import type { AsQuote, AsQuoteOptions } from './types.js'

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
