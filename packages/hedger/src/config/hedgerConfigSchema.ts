import * as v from 'valibot'
import { toDecimalStep } from '../venue/decimalTicks.js'

const positiveDecimal = v.pipe(
  v.string(),
  v.check((text) => toDecimalStep(text) !== null, 'must be a positive decimal string such as "0.01"'),
)
const finite = v.pipe(v.number(), v.finite())
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0))
const positive = v.pipe(v.number(), v.finite(), v.gtValue(0))
const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1))
const fraction = v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(1))

/** One CEX venue and its instrument, limits and order-manager settings. Units are in the field names. */
export const venueConfigSchema = v.object({
  /** Venue id used in every message (`binance-usdm`, `deribit`, …). */
  venue: v.pipe(v.string(), v.minLength(1)),
  /** Price increment of the instrument, decimal string. */
  tickSize: positiveDecimal,
  /** Size increment (lot) in base units, decimal string. */
  stepSize: positiveDecimal,
  /**
   * How the instrument's size is denominated. `{ type: 'linear' }` (default): sizes are base units on every message and
   * must lie on the `stepSize` grid (off-grid data is a VenueDataError). `{ type: 'inverse', contractSizeQuote }`:
   * the venue trades whole contracts of `contractSizeQuote` quote units (Deribit `ETH-PERPETUAL` "1" USD,
   * `BTC-PERPETUAL` "10" USD, positive decimal string); orders are still sent in base on the `stepSize` grid (the
   * connector rounds them down to whole contracts at the order's price), base sizes the venue reports (USD / price) are
   * rounded to the nearest lot (ties away from zero) and book levels in contracts are converted to base lots at each
   * level's price. See docs/hedger.md, "Inverse instruments".
   */
  contract: v.optional(
    v.variant('type', [
      v.object({ type: v.literal('linear') }),
      v.object({ type: v.literal('inverse'), contractSizeQuote: positiveDecimal }),
    ]),
    { type: 'linear' },
  ),
  /** Smallest order the venue accepts, lots. */
  minSizeLots: v.optional(positiveInt, 1),
  /** Smallest order notional the venue accepts, quote units (Binance USDⓈ-M ETHUSDT: 20); smaller sides are not quoted. */
  minNotionalQuote: v.optional(nonNegative, 0),
  /** Maker fee, basis points of notional (negative = rebate). */
  makerFeeBps: v.optional(finite, 2),
  /** The venue can amend price/size in place (Binance futures: yes); otherwise cancel + place. */
  supportsAmend: v.optional(v.boolean(), true),
  /** Largest absolute position on this venue, base units. */
  maxPositionBase: v.optional(positive, 10),
  /** Largest absolute position notional on this venue, USD (quote). */
  maxNotionalUsd: v.optional(positive, 50_000),
  /** Largest single order, base units. */
  maxOrderSizeBase: v.optional(positive, 1),
  /** Most working orders at once on this venue (ours, pending ones included). */
  maxOpenOrders: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2)), 4),
  /** Order-action budget (place/amend/cancel): a token bucket with this capacity, actions. */
  rateLimitCapacity: v.optional(positiveInt, 10),
  /** Refill of the action budget, actions per second. */
  rateLimitRefillPerSec: v.optional(positive, 5),
  /** Market data older than this halts the venue, milliseconds. */
  staleAfterMs: v.optional(positiveInt, 5_000),
  /** Dead-man switch timeout sent to the venue, milliseconds (1 000 – 3 600 000: what the venues accept). */
  deadManTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1_000), v.maxValue(3_600_000)), 10_000),
  /** How often the dead-man switch is refreshed, milliseconds (< deadManTimeoutMs). */
  deadManRearmMs: v.optional(positiveInt, 3_000),
  /**
   * A working order is repriced only when the price moves by at least this many ticks and at least
   * `refreshToleranceBps` (an amend loses queue priority: a passive hedge that reprices on every tick never fills).
   */
  refreshToleranceTicks: v.optional(positiveInt, 2),
  /** Smallest price move that reprices a working order, basis points of the mid (see refreshToleranceTicks). */
  refreshToleranceBps: v.optional(nonNegative, 0.5),
  /** A place, amend or cancel the venue has not answered after this long makes the core re-read the open orders, ms. */
  orderAckTimeoutMs: v.optional(positiveInt, 5_000),
  /** While we have orders on the venue, its open orders are re-read this often to catch any drift, ms. */
  reconcileIntervalMs: v.optional(positiveInt, 30_000),
  /** First retry delay of an unconfirmed cancel-all (kill switch, halts); doubles per attempt, ms. */
  cancelRetryMs: v.optional(positiveInt, 250),
  /** Longest delay between cancel-all retries, ms. */
  cancelRetryMaxMs: v.optional(positiveInt, 5_000),
  /** First retry delay of a lookup by client id of an order whose create had no definite answer; doubles, ms. */
  lookupRetryMs: v.optional(positiveInt, 1_000),
  /** Longest delay between lookups, ms. */
  lookupRetryMaxMs: v.optional(positiveInt, 10_000),
  /** A working order is resized only when the size changes by more than this fraction of it. */
  refreshToleranceSizeFraction: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1)), 0.2),
  /** Visible depth used for size control: the top N levels of our side. */
  bookDepthLevels: v.optional(positiveInt, 5),
  /** An order may be at most this share of the visible depth of its side. */
  maxBookShare: v.optional(positive, 0.5),
})

const volatilitySchema = v.object({
  /** EWMA half-life of the mid-price volatility, milliseconds. */
  halfLifeMs: v.optional(positiveInt, 60_000),
  /** History needed before quoting, milliseconds. */
  warmUpMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 60_000),
  /** Mid-price increments needed before quoting. */
  minIncrements: v.optional(positiveInt, 20),
})

const intensitySchema = v.variant('mode', [
  v.object({
    mode: v.literal('online'),
    /**
     * Rolling window of the λ(δ) = A·e^(−kδ) fit, milliseconds. It is also the warm-up: no quote before one full
     * window of trades (the venue status reports elapsed/needed).
     */
    windowMs: v.optional(positiveInt, 120_000),
    /** Depths of the fit grid, ticks, strictly increasing. */
    depthGridTicks: v.optional(
      v.pipe(
        v.array(nonNegative),
        v.minLength(2),
        v.check(
          (grid) => grid.every((depth, i) => i === 0 || depth > (grid[i - 1] as number)),
          'must be strictly increasing',
        ),
      ),
      [0, 1, 2, 3, 5, 8, 13, 21],
    ),
    /** Arrivals a grid depth needs to enter the fit. */
    minCountPerPoint: v.optional(positiveInt, 3),
    /** How often the fit is re-read, milliseconds. */
    refreshMs: v.optional(positiveInt, 1_000),
  }),
  v.object({
    mode: v.literal('fixed'),
    /** A, fills per second at depth 0. */
    aPerSec: positive,
    /** k, per price unit (quote currency). */
    kPerPrice: positive,
  }),
])

/** The whole hedger config (input form: every field with a default may be omitted). */
export const hedgerConfigSchema = v.pipe(
  v.object({
    venues: v.pipe(
      v.array(venueConfigSchema),
      v.minLength(1),
      v.check(
        (venues) => new Set(venues.map((venue) => venue.venue)).size === venues.length,
        'venue ids must be unique',
      ),
    ),
    model: v.optional(
      v.object({
        /** GLFT closed form or Avellaneda–Stoikov finite horizon (seed MODEL_TYPE). */
        type: v.optional(v.picklist(['GLFT', 'AS']), 'GLFT'),
        /** γ, risk aversion, per (price unit × order size). */
        gammaPerPrice: v.optional(positive, 0.1),
        /** T − t of the AS quote, seconds (constant: rolling horizon). */
        asHorizonSec: v.optional(positive, 60),
        /** η, order-size shape factor per unit of q (sizes × e^(−η|q|) on the side that grows |q|). */
        eta: v.optional(nonNegative, 0.5),
        /** Minimum distance of a quote from the mid on top of the maker fee, basis points. */
        minEdgeBps: v.optional(nonNegative, 0),
        /**
         * Hold the exposure-reducing quote at the maker-fee floor too (fee + minEdgeBps from the mid). Default false:
         * the reducing side may go inside the floor down to the touch, paying the fee to cut risk (a reducing quote held
         * at the floor is rarely filled: on the emulators' simulated markets it never was).
         */
        feeFloorOnReducingSide: v.optional(v.boolean(), false),
      }),
      {},
    ),
    calibration: v.optional(
      v.object({
        volatility: v.optional(volatilitySchema, {}),
        intensity: v.optional(intensitySchema, { mode: 'online' }),
      }),
      {},
    ),
    hedge: v.optional(
      v.object({
        /** Net exposure the hedger steers to, base units (usually 0). */
        targetNetBase: v.optional(finite, 0),
        /** One order size: the unit of the model's q, base units. */
        orderSizeBase: v.optional(positive, 0.1),
        /** Below this absolute net exposure nothing is hedged (no side is favoured), base units. */
        deadbandBase: v.optional(nonNegative, 0),
        /**
         * The LP inventory is stale when no update has arrived for longer than this, ms: the hedger then halts quoting
         * on every venue (reason `lpInventoryStale`: cancel all, no new orders) until a fresh update arrives, since the
         * net exposure it hedges is no longer known. Always on; the LP side must publish at least this often.
         */
        lpInventoryStaleAfterMs: v.optional(positiveInt, 60_000),
        /** Client order id prefix (letters and digits, 1–12). */
        clientOrderIdPrefix: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,12}$/)), 'alp'),
      }),
      {},
    ),
    risk: v.optional(
      v.object({
        /** Largest absolute sum of CEX positions, base units. */
        maxTotalPositionBase: v.optional(positive, 20),
        /** Largest sum of CEX position notionals, USD. */
        maxTotalNotionalUsd: v.optional(positive, 100_000),
        /** Halt a venue when |CEX mid − pool price| exceeds this, basis points of the pool price. */
        maxBasisBps: v.optional(positive, 100),
        /** Resume a basis-halted venue when the basis is back within this, basis points. */
        resumeBasisBps: v.optional(positive, 50),
        /** Halt a venue when the rolling correlation of pool and CEX returns falls below this. */
        minCorrelation: v.optional(v.pipe(v.number(), v.minValue(-1), v.maxValue(1)), 0),
        /**
         * Resume a decorrelation-halted venue only when the correlation is back at or above this (hysteresis: without
         * it a correlation hovering at the threshold halts and resumes on every sample).
         */
        resumeCorrelation: v.optional(v.pipe(v.number(), v.minValue(-1), v.maxValue(1)), 0.2),
        /** Samples (one per basisSampleMs) in the rolling correlation window. */
        correlationWindow: v.optional(v.pipe(v.number(), v.integer(), v.minValue(3)), 120),
        /** Samples needed before the correlation can halt anything. */
        correlationMinSamples: v.optional(v.pipe(v.number(), v.integer(), v.minValue(3)), 60),
        /**
         * Sampling interval of the basis/correlation monitor, milliseconds. 5 s: a pool price moves once per block
         * (12 s on mainnet), so 1 s returns are mostly zero and their correlation with the CEX is noise.
         */
        basisSampleMs: v.optional(positiveInt, 5_000),
      }),
      {},
    ),
    lp: v.optional(
      v.object({
        /** Pool fee (seed FEE_TIER), basis points: 5 = 0.05 %. */
        poolFeeBps: v.optional(nonNegative, 5),
        /** LP rebalance threshold (seed REBALANCE_THRESHOLD), fraction of value; passed on with range suggestions. */
        rebalanceThreshold: v.optional(fraction, 0.1),
        /** Smallest suggested half-width (seed BASE_SPREAD: ±2 % = 200), basis points. */
        minHalfWidthBps: v.optional(positive, 200),
        /** Largest suggested half-width, basis points. */
        maxHalfWidthBps: v.optional(positive, 2_000),
        /** Suggested half-width = widthSigmas · σ_log · √horizonSec. */
        widthSigmas: v.optional(positive, 2),
        /** Horizon of the range suggestion, seconds. */
        rangeHorizonSec: v.optional(positive, 86_400),
        /** How often a range suggestion is considered, milliseconds. */
        rangeIntervalMs: v.optional(positiveInt, 60_000),
        /** A new suggestion is sent only when it moves by more than this fraction. */
        rangeMinChangeFraction: v.optional(nonNegative, 0.1),
      }),
      {},
    ),
  }),
  v.check(
    (config) => config.risk.resumeBasisBps <= config.risk.maxBasisBps,
    'risk.resumeBasisBps must be ≤ risk.maxBasisBps',
  ),
  v.check(
    (config) => config.risk.resumeCorrelation >= config.risk.minCorrelation,
    'risk.resumeCorrelation must be ≥ risk.minCorrelation',
  ),
  v.check(
    (config) => config.venues.every((venue) => venue.cancelRetryMs <= venue.cancelRetryMaxMs),
    'venues[].cancelRetryMs must be ≤ cancelRetryMaxMs',
  ),
  v.check(
    (config) => config.lp.minHalfWidthBps <= config.lp.maxHalfWidthBps,
    'lp.minHalfWidthBps must be ≤ lp.maxHalfWidthBps',
  ),
  v.check(
    (config) => config.venues.every((venue) => venue.deadManRearmMs < venue.deadManTimeoutMs),
    'venues[].deadManRearmMs must be < deadManTimeoutMs',
  ),
)

/** Config as written by a user (defaults may be omitted). */
export type HedgerConfigInput = v.InferInput<typeof hedgerConfigSchema>
/** Config with every default filled in. */
export type HedgerConfig = v.InferOutput<typeof hedgerConfigSchema>
/** One venue's config with defaults. */
export type VenueConfig = v.InferOutput<typeof venueConfigSchema>
