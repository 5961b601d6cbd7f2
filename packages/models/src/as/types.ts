import type { QuoteCrossingPolicy, QuoteFlags } from '../quote/quoteFlags.js'

/**
 * Shared types of the Avellaneda–Stoikov (AS 2008) quote functions.
 *
 * Units: every price-like value (mid, reservation price, depths, spread) is in the same PRICE unit (e.g. USDC per ETH,
 * or ticks). Time is in one TIME unit (e.g. seconds, days, or the fraction of a trading session) and σ must be quoted on
 * that same time base. γ and k are per price unit. q is inventory in units of the order size (AS's q).
 */

/** Model constants of AS 2008. */
export type AsModelParameters = {
  /** γ, risk aversion, per price unit (1/price). Must be > 0 and finite. */
  gammaPerPrice: number
  /** σ, volatility of the mid price (arithmetic Brownian motion), in price units per √(time unit). Must be ≥ 0 and finite. */
  sigmaPerSqrtTime: number
  /** k, decay of the fill intensity λ(δ) = A·e^(−k·δ) with the quote's depth δ, per price unit. Must be > 0 and finite. */
  kPerPrice: number
  /**
   * kᵇ, the bid side's intensity decay (λᵇ(δ) = Aᵇe^(−kᵇδ)), per price unit; `kPerPrice` when omitted. Gives
   * δᵇ = (1/γ)ln(1 + γ/kᵇ) + (1 + 2q)/2·γσ²(T−t). (A does not enter AS's quotes, per side or not.) Must be > 0.
   */
  kBidPerPrice?: number | undefined
  /** kᵃ, the ask side's intensity decay, per price unit; `kPerPrice` when omitted. Must be > 0. */
  kAskPerPrice?: number | undefined
  /**
   * φ, the maker fee per unit filled, in price units (e.g. fee rate × mid); negative for a rebate. A fill at depth δ
   * is worth δ − φ, so both depths move by +φ. Default 0. Must be finite.
   */
  makerFeePrice?: number | undefined
}

/**
 * The inventory, one name across models: `inventoryLots`, signed, in units of the order size (AS 2008's q: +3 = long
 * three orders' worth; the same "lots" as GLFT's `inventoryLots`). Any finite number; a normalised q (Hummingbot's
 * fraction of the portfolio) works too if γ was chosen for it. `q` is the old name, kept as a deprecated alias.
 */
export type AsInventory =
  | {
      /** Signed inventory in lots (order sizes). Any finite number. */
      inventoryLots: number
      q?: undefined
    }
  | {
      /** @deprecated Use `inventoryLots` (same meaning: signed inventory in order sizes). */
      q: number
      inventoryLots?: undefined
    }

/** Inputs of the finite-horizon AS quote. */
export type AsQuoteParameters = AsModelParameters &
  AsInventory & {
    /** s, the mid price, in price units. Must be > 0 and finite. */
    midPrice: number
    /** T − t, time left to the horizon, in the time unit of σ. Must be ≥ 0 and finite. */
    timeToHorizon: number
  }

/**
 * What to do when a quote lies on the wrong side of the mid (negative depth) or has a price ≤ 0 — the policy shared by
 * every model ({@link QuoteCrossingPolicy}):
 * - `'report'` (default): return the prices as computed; the flags are set.
 * - `'clip'`: move the crossing price to the mid, or to `bestBidPrice` / `bestAskPrice` when given; a price still ≤ 0
 *   becomes `null` (unquoted). The flags stay set.
 * - `'drop'`: set the crossing or non-positive side's price to `null` (do not quote it); the flags stay set.
 * - `'throw'`: throw `QuoteCrossesMidError` (crossing) or `QuoteNonPositivePriceError` (price ≤ 0).
 */
export type AsCrossingPolicy = QuoteCrossingPolicy

export type AsQuoteOptions = {
  /** Crossing policy; `'report'` when omitted. */
  crossing?: AsCrossingPolicy | undefined
  /** Best bid on the venue, price units (≤ mid). With `'clip'`, a bid that crosses the mid is clipped to it. */
  bestBidPrice?: number | undefined
  /** Best ask on the venue, price units (≥ mid). With `'clip'`, an ask that crosses the mid is clipped to it. */
  bestAskPrice?: number | undefined
}

/** An AS quote. Depths are measured from the mid s (δᵇ = s − bid, δᵃ = ask − s), all in price units. */
export type AsQuote = {
  /** r, the reservation (indifference) price, price units. */
  reservationPrice: number
  /** δᵃ + δᵇ, the total spread as computed, price units (never depends on q). The name GLFT's results use. */
  spreadPrice: number
  /** δᵇ = s − bid as computed, price units. Negative when the bid crosses the mid. The name GLFT's results use. */
  bidDepthPrice: number
  /** δᵃ = ask − s as computed, price units. Negative when the ask crosses the mid. The name GLFT's results use. */
  askDepthPrice: number
  /** @deprecated Use `spreadPrice` (the same value). */
  spread: number
  /** @deprecated Use `bidDepthPrice` (the same value). */
  bidDepth: number
  /** @deprecated Use `askDepthPrice` (the same value). */
  askDepth: number
  /** Bid price after the crossing policy, price units; `null` when the policy dropped the side. */
  bidPrice: number | null
  /** Ask price after the crossing policy, price units; `null` when the policy dropped the side. */
  askPrice: number | null
  /** The computed bid is above the mid (δᵇ < 0), whatever the policy did with it. */
  bidCrossesMid: boolean
  /** The computed ask is below the mid (δᵃ < 0), whatever the policy did with it. */
  askCrossesMid: boolean
  /**
   * The flags every model reports (crossing, non-positive price, quoted after the policy): the same type for AS and the
   * GLFT / Guéant closed forms. `bidCrossesMid` / `askCrossesMid` repeat the fields above.
   */
  flags: QuoteFlags
}
