import { createEwmaVolatilityEstimator, createTradingIntensityEstimator } from '@alp/models'
import type { ResolvedHedgerConfig } from '../config/parseHedgerConfig.js'
import { InvalidConfigError } from '../errors/config.js'
import type { HedgerState, VenueState } from './types.js'

const MS_NS = 1_000_000n

/** Options of a new core state. */
export type CreateHedgerStateOptions = {
  /**
   * A tag in every client order id, unique per process start, so ids never repeat across restarts (a venue may reject
   * or, worse, match a reused id against an old order). Lowercase letters and digits, at most 10; default '' (for
   * backtests and tests; the live runner passes the start time in base 36).
   */
  readonly runTag?: string
}

/**
 * The initial core state for a resolved config: no market data, no positions, every venue disconnected until a
 * `venueHealth: connected` event arrives, estimators empty (warming up).
 * @throws InvalidConfigError when `runTag` is not lowercase letters and digits (at most 10).
 */
export function createHedgerState(config: ResolvedHedgerConfig, options: CreateHedgerStateOptions = {}): HedgerState {
  const runTag = options.runTag ?? ''
  if (!/^[a-z0-9]{0,10}$/.test(runTag))
    throw new InvalidConfigError({ field: 'runTag', value: runTag, rule: 'lowercase letters and digits, at most 10' })
  const volatility = config.calibration.volatility
  const intensity = config.calibration.intensity
  const venues = config.venues.map(
    (venueConfig): VenueState => ({
      config: venueConfig,
      bbo: null,
      bids: null,
      asks: null,
      lastMarketNs: null,
      lastTradeNs: null,
      connected: false,
      feedGap: false,
      stale: false,
      basisHalted: false,
      divergenceHalted: false,
      haltAnnounced: null,
      positionLots: 0,
      reportVenueTimeMs: null,
      unreportedFills: [],
      ambiguousFills: [],
      orders: new Map(),
      seenTradeIds: new Set(),
      finalOrders: new Map(),
      sweep: null,
      snapshotRequestedNs: null,
      lastSnapshotRequestNs: null,
      volatility: createEwmaVolatilityEstimator({
        halfLifeNs: BigInt(volatility.halfLifeMs) * MS_NS,
        returns: 'price',
        warmUpNs: BigInt(volatility.warmUpMs) * MS_NS,
        minIncrements: volatility.minIncrements,
      }),
      intensity:
        intensity.mode === 'online'
          ? createTradingIntensityEstimator({
              tickSize: venueConfig.tickSizePrice,
              depthGridTicks: intensity.depthGridTicks,
              windowNs: BigInt(intensity.windowMs) * MS_NS,
              minCountPerPoint: intensity.minCountPerPoint,
            })
          : null,
      aPerSec: intensity.mode === 'fixed' ? intensity.aPerSec : null,
      kPerPrice: intensity.mode === 'fixed' ? intensity.kPerPrice : null,
      intensityReadNs: null,
      intensityStatus: intensity.mode === 'fixed' ? 'fixed' : 'warmingUp: no data',
      tokens: venueConfig.rateLimitCapacity,
      tokensNs: null,
      lastDeadManNs: null,
      status: 'disconnected',
      basis: {
        lastPoolLog: null,
        lastMidLog: null,
        poolReturns: new Array<number>(config.risk.correlationWindow).fill(0),
        midReturns: new Array<number>(config.risk.correlationWindow).fill(0),
        next: 0,
        count: 0,
        basisBps: null,
        correlation: null,
      },
    }),
  )
  return {
    config,
    venues,
    venueByName: new Map(venues.map((venue) => [venue.config.venue, venue])),
    nowNs: 0n,
    runTag,
    nextOrderSeq: 0,
    lpDeviationBase: 0,
    poolPrice: null,
    lpSeen: false,
    lpUpdatedNs: null,
    lpStale: false,
    killed: null,
    lastBasisSampleNs: null,
    lastRangeNs: null,
    lastRangeHalfWidthBps: null,
  }
}
