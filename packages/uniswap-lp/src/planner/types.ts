import type { PriceOrientation } from '../math/priceTick.js'

/**
 * A market-making quote in human price units (quote token per base token), structurally typed so that any model fits.
 * Depths are measured from `midPrice` like @alp/models (`bid = midPrice − bidDepth`, `ask = midPrice + askDepth`);
 * a negative depth means that side crosses the mid.
 */
export type ModelQuote = {
  /** s, the mid price the model quoted around. */
  midPrice: number
  /** r, the reservation (indifference) price; for GLFT use (bid + ask)/2 = s + (δᵃ − δᵇ)/2. */
  reservationPrice: number
  /** δᵇ = s − bid, price units. */
  bidDepth: number
  /** δᵃ = ask − s, price units. */
  askDepth: number
}

/** The pool as read from slot0 (plus its fee tier). */
export type PoolPriceState = {
  /** slot0.sqrtPriceX96. */
  sqrtPriceX96: bigint
  /** slot0.tick (the pool's current tick; may be one below getTickAtSqrtRatio at an exact boundary). */
  tick: number
  /** The pool's fee in pips (100, 500, 3000, 10000). */
  feePips: number
}

/** How range widths are chosen. */
export type RangeWidthConfig =
  | {
      /** Charm-style fixed thresholds in ticks (multiples of the tick spacing, > 0). */
      mode: 'fixed'
      /** B: the base range is [C − B, C + TS + B] around the centre tick C. */
      baseThresholdTicks: number
      /** L: the limit range is [X − L, X] below or [X + TS, X + TS + L] above the current tick. */
      limitThresholdTicks: number
    }
  | {
      /** Widths from the model: the base spans [r − m·ψ/2, r + m·ψ/2] with ψ = δᵇ + δᵃ. */
      mode: 'model'
      /** m, the base width as a multiple of the model's half-spread (1: the base edges are the model's bid and ask). */
      baseSpreadMultiplier: number
      /** The limit width as a multiple of the base's width on the same side, in ticks. */
      limitWidthMultiplier: number
    }

export type RangePlannerConfig = {
  width: RangeWidthConfig
  /** Where the base is centred: on r (`'reservation'`, the AS mapping) or on the pool tick (`'pool'`, exactly Charm). */
  baseCenter: 'reservation' | 'pool'
  /** Where a limit range starts: next to the current tick (`'adjacent'`, Charm) or at the model's quote (`'modelQuote'`). */
  limitPlacement: 'adjacent' | 'modelQuote'
  /** Minimum distance, in ticks, from the base centre to each base edge (0: none). BASE_SPREAD maps here. */
  minBaseHalfWidthTicks: number
  /** Minimum width of a limit range, in ticks (rounded up to the tick spacing; at least one spacing). */
  minLimitWidthTicks: number
  /** Keep the current price inside the base: baseLower ≤ X and baseUpper ≥ X + TS (Charm's base always is). */
  baseContainsPrice: boolean
}

/** Raw token balances available to the LP (token base units). */
export type TokenBalances = {
  amount0Raw: bigint
  amount1Raw: bigint
}

/** One position the planner wants minted. Amounts are what the pool will charge at mint (rounded up). */
export type PlannedPosition = {
  kind: 'base' | 'limit'
  /** For a limit: which side of the current tick it sits on. `'below'` holds token1, `'above'` holds token0. */
  side: 'straddle' | 'below' | 'above'
  tickLower: number
  tickUpper: number
  liquidity: bigint
  amount0Raw: bigint
  amount1Raw: bigint
}

export type RangePlan = {
  base: PlannedPosition
  /** The one-sided limit range selling the token left over after the base; null when nothing is left to place. */
  limit: PlannedPosition | null
  /** Tick spacing of the pool's fee tier. */
  tickSpacing: number
  /** X: the pool tick floored to the spacing (toward −∞). */
  flooredTick: number
  /** The tick of the base centre (reservation price or pool tick). */
  centerTick: number
  /** Balances not placed in any position (dust and the smaller limit side), raw units. */
  idle0Raw: bigint
  idle1Raw: bigint
}

export type PlanRangesParameters = {
  quote: ModelQuote
  pool: PoolPriceState
  orientation: PriceOrientation
  balances: TokenBalances
  config: RangePlannerConfig
}
