import { createEwmaVolatilityEstimator, createTradingIntensityEstimator } from '@alp/models'
import type { ResolvedHedgerConfig } from '../config/parseHedgerConfig.js'
import type { HedgerState, VenueState } from './types.js'

const MS_NS = 1_000_000n

/**
 * The initial core state for a resolved config: no market data, no positions, every venue disconnected until a
 * `venueHealth: connected` event arrives, estimators empty (warming up).
 */
export function createHedgerState(config: ResolvedHedgerConfig): HedgerState {
  const volatility = config.calibration.volatility
  const intensity = config.calibration.intensity
  const venues = config.venues.map(
    (venueConfig): VenueState => ({
      config: venueConfig,
      bbo: null,
      bids: null,
      asks: null,
      lastMarketNs: null,
      connected: false,
      feedGap: false,
      stale: false,
      basisHalted: false,
      divergenceHalted: false,
      haltAnnounced: null,
      positionLots: 0,
      orders: new Map(),
      seenTradeIds: new Set(),
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
    nextOrderSeq: 0,
    lpDeviationBase: 0,
    poolPrice: null,
    lpSeen: false,
    killed: null,
    lastBasisSampleNs: null,
    lastRangeNs: null,
    lastRangeHalfWidthBps: null,
  }
}
