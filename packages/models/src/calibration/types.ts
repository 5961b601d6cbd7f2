/**
 * Input and output shapes shared by the calibration functions.
 *
 * Time is always a `bigint` count of nanoseconds (`tsNs`, `windowNs`, `halfLifeNs`): UNIX epoch or any other origin, as long as
 * every input of one call uses the same clock. Prices are `number` in quote-currency units per base unit (USD for ETHUSDT).
 */

/** One observation of a price (a mid, a last trade, …) at a time. `price` is in price units (> 0). */
export type PriceSample = {
  readonly tsNs: bigint
  readonly price: number
}

/** Which side took liquidity. On Binance trade streams `m: true` (buyer is maker) means a `sell`-initiated trade. */
export type AggressorSide = 'buy' | 'sell'

/** One trade print: time, price (price units, > 0) and the aggressor side. */
export type TradeSample = {
  readonly tsNs: bigint
  readonly price: number
  readonly aggressorSide: AggressorSide
}

/**
 * One order arrival: how deep into the book it reached, measured from the mid prevailing before it, in price units.
 * Buy-initiated: `price − mid`; sell-initiated: `mid − price`. May be negative (trade printed through a stale mid).
 */
export type ArrivalSample = {
  readonly tsNs: bigint
  readonly depthPrice: number
}

/**
 * Which increments a volatility estimator measures.
 * - `'price'`: arithmetic price changes Δp, σ in **price units per √second** (what Avellaneda–Stoikov and GLFT use).
 * - `'log'`: log returns Δln p, σ in **1/√second** (dimensionless return per √second).
 */
export type VolatilityReturns = 'price' | 'log'

/** A volatility estimate. `sigmaPerSqrtSec` is in price units/√s for `returns: 'price'` and in 1/√s for `returns: 'log'`. */
export type VolatilityEstimate = {
  readonly returns: VolatilityReturns
  /** σ per √second (units: see `returns`). */
  readonly sigmaPerSqrtSec: number
  /** σ² per second (units: price units²/s for `'price'`, 1/s for `'log'`). */
  readonly variancePerSec: number
  /** Number of increments (consecutive sample pairs) that contributed. */
  readonly incrementCount: number
  /** Time spanned by the contributing samples, in nanoseconds. */
  readonly elapsedNs: bigint
}

/**
 * What a streaming volatility estimator reports. Before warm-up it says so explicitly (`ready: false`, with progress
 * counters), never a silent 0.
 */
export type VolatilityEstimatorState =
  | {
      readonly ready: false
      /** `warmUp`: not enough history or increments yet; `zeroElapsedTime`: every sample in the window has the same tsNs. */
      readonly reason: 'warmUp' | 'zeroElapsedTime'
      readonly incrementCount: number
      readonly neededIncrements: number
      /** Time since the first sample ever received, in nanoseconds. */
      readonly historyNs: bigint
      readonly neededHistoryNs: bigint
    }
  | ({ readonly ready: true } & VolatilityEstimate)

/** A streaming volatility estimator fed one (tsNs, price) sample at a time, in non-decreasing tsNs order. */
export type VolatilityEstimator = {
  /** Adds one sample (validated; a bad one throws and leaves the state unchanged) and returns the new state. */
  update(tsNs: bigint, price: number): VolatilityEstimatorState
  /** The current state, without changing it. */
  read(): VolatilityEstimatorState
  /** The current estimate; throws EstimatorNotReadyError before warm-up. */
  value(): VolatilityEstimate
}

/** One depth of the intensity grid: how many arrivals reached it in the window, and the rate. */
export type TradingIntensityPoint = {
  /** Depth from the mid in ticks (as given in `depthGridTicks`). */
  readonly depthTicks: number
  /** The same depth in price units: `depthTicks · tickSize`. */
  readonly depthPrice: number
  /** Arrivals in the window whose depth reached this one (`depth >= δ`). */
  readonly count: number
  /** Poisson rate `count / windowSec`, arrivals per second. */
  readonly lambdaPerSec: number
  /** Whether the point entered the log-linear fit (`count >= minCountPerPoint`; ln 0 is undefined). */
  readonly usedInFit: boolean
}

/** The fitted λ(δ) = A·e^(−kδ), with the same k in two units. */
export type TradingIntensityFit = {
  /** A: arrival rate extrapolated to depth 0, per second. */
  readonly aPerSec: number
  /** k per price unit (δ in price units, e.g. per USD). */
  readonly kPerPrice: number
  /** k per tick (δ in ticks): `kPerPrice · tickSize`. */
  readonly kPerTick: number
  /** R² of ln λ on δ over the points used. */
  readonly rSquared: number
  /** Number of grid points used in the fit (>= 2). */
  readonly fitPointCount: number
  /** Window length in seconds (the rate denominator). */
  readonly windowSec: number
  /** Arrivals in the window (all depths, including negative ones). */
  readonly arrivalCount: number
  /** Price units per tick used to convert the grid. */
  readonly tickSize: number
  readonly points: readonly TradingIntensityPoint[]
}

/** What the streaming intensity estimator reports at a given time: not ready (with the reason and progress) or a fit. */
export type TradingIntensityEstimatorState =
  | {
      readonly ready: false
      /** `warmUp`: less than one window of history; `tooFewDepthPoints`: fewer than 2 grid depths have enough arrivals. */
      readonly reason: 'warmUp' | 'tooFewDepthPoints'
      /** Time since the first mid or trade received, nanoseconds. */
      readonly historyNs: bigint
      readonly neededHistoryNs: bigint
      /** Arrivals currently in the window. */
      readonly arrivalCount: number
      /** Grid depths with count >= minCountPerPoint (2 are needed). */
      readonly usablePointCount: number
    }
  | ({ readonly ready: true } & TradingIntensityFit)

/** Result of feeding one trade: its arrival depth, or that no mid preceded it (it is then not counted). */
export type TradingIntensityTradeResult =
  | { readonly matched: true; readonly depthPrice: number }
  | { readonly matched: false }
