import { InvalidParameterError, QuoteCrossesMidError, QuoteNonPositivePriceError } from '../errors/parameter.js'

/**
 * What to do with a side whose quote crosses the mid (negative depth) or whose price is not positive, the same for
 * every model (AS finite and infinite horizon, GLFT and Guéant closed forms):
 * - `'report'` (default): quote as computed; the flags say what is wrong.
 * - `'clip'`: a crossing side is put at the mid (price models: at `bestBidPrice` / `bestAskPrice` when given; depth
 *   models: depth 0); a side whose price is still ≤ 0 is unquoted (no positive price to clip to).
 * - `'drop'`: the side is unquoted (`…Quoted: false`; price models also set its price to `null`).
 * - `'throw'`: `QuoteCrossesMidError` (crossing first) or `QuoteNonPositivePriceError`.
 * The flags always describe the quote as computed, before the policy.
 */
export type QuoteCrossingPolicy = 'report' | 'clip' | 'drop' | 'throw'

/** The typed flags every model's quote carries in `flags`. */
export type QuoteFlags = {
  /** δᵇ < 0 as computed: the bid is above the mid. */
  bidCrossesMid: boolean
  /** δᵃ < 0 as computed: the ask is below the mid. */
  askCrossesMid: boolean
  /** mid − δᵇ ≤ 0 as computed (depth models: only when `midPrice` is passed). */
  bidPriceNonPositive: boolean
  /** mid + δᵃ ≤ 0 as computed (depth models: only when `midPrice` is passed). */
  askPriceNonPositive: boolean
  /** Whether the bid should be quoted after the policy (`false`: dropped). */
  bidQuoted: boolean
  /** Whether the ask should be quoted after the policy (`false`: dropped). */
  askQuoted: boolean
}

/** Options of the depth-returning models (GLFT and Guéant closed forms). */
export type DepthQuoteOptions = {
  /** Policy for crossing / non-positive sides; `'report'` when omitted. */
  crossing?: QuoteCrossingPolicy | undefined
  /** The mid, price units (> 0): with it, the flags also check the prices mid − δᵇ and mid + δᵃ. */
  midPrice?: number | undefined
}

/** A zeroed flags object (no side flagged, both quoted). */
export function createQuoteFlags(): QuoteFlags {
  return {
    bidCrossesMid: false,
    askCrossesMid: false,
    bidPriceNonPositive: false,
    askPriceNonPositive: false,
    bidQuoted: true,
    askQuoted: true,
  }
}

/** Checks a policy value. */
export function assertQuoteCrossingPolicy(crossing: unknown, field = 'options.crossing'): void {
  if (
    crossing !== undefined &&
    crossing !== 'report' &&
    crossing !== 'clip' &&
    crossing !== 'drop' &&
    crossing !== 'throw'
  )
    throw new InvalidParameterError({
      field,
      value: crossing,
      rule: "one of 'report', 'clip', 'drop', 'throw'",
      next: `pass ${field} = 'report' | 'clip' | 'drop' | 'throw'.`,
    })
}

/**
 * Flags and policy for a depth-returning model: returns the depths after the policy (`'clip'` sets a crossing depth
 * to 0) and the flags.
 * @throws QuoteCrossesMidError | QuoteNonPositivePriceError with `'throw'`; InvalidParameterError for bad options.
 */
export function applyDepthQuotePolicy(
  bidDepth: number,
  askDepth: number,
  options: DepthQuoteOptions | undefined,
): { bidDepth: number; askDepth: number; flags: QuoteFlags } {
  const flags = createQuoteFlags()
  flags.bidCrossesMid = bidDepth < 0
  flags.askCrossesMid = askDepth < 0
  const mid = options?.midPrice
  if (mid !== undefined) {
    if (!(typeof mid === 'number' && mid > 0 && mid < Number.POSITIVE_INFINITY))
      throw new InvalidParameterError({ field: 'options.midPrice', value: mid, rule: '> 0 and finite' })
    flags.bidPriceNonPositive = mid - bidDepth <= 0
    flags.askPriceNonPositive = mid + askDepth <= 0
  }
  const policy = options?.crossing ?? 'report'
  assertQuoteCrossingPolicy(policy)
  if (policy === 'report') return { bidDepth, askDepth, flags }
  if (policy === 'throw') {
    if (flags.bidCrossesMid) throw new QuoteCrossesMidError({ side: 'bid', depth: bidDepth })
    if (flags.askCrossesMid) throw new QuoteCrossesMidError({ side: 'ask', depth: askDepth })
    if (flags.bidPriceNonPositive) throw new QuoteNonPositivePriceError({ side: 'bid', price: mid! - bidDepth })
    if (flags.askPriceNonPositive) throw new QuoteNonPositivePriceError({ side: 'ask', price: mid! + askDepth })
    return { bidDepth, askDepth, flags }
  }
  if (policy === 'drop') {
    flags.bidQuoted = !(flags.bidCrossesMid || flags.bidPriceNonPositive)
    flags.askQuoted = !(flags.askCrossesMid || flags.askPriceNonPositive)
    return { bidDepth, askDepth, flags }
  }
  // 'clip': crossing depths to the mid; a price still ≤ 0 (a bid depth ≥ the mid) has nothing to clip to.
  const bid = flags.bidCrossesMid ? 0 : bidDepth
  const ask = flags.askCrossesMid ? 0 : askDepth
  flags.bidQuoted = !(mid !== undefined && mid - bid <= 0)
  flags.askQuoted = !(mid !== undefined && mid + ask <= 0)
  return { bidDepth: bid, askDepth: ask, flags }
}
